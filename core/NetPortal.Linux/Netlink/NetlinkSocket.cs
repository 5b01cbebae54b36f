using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

/// <summary>A NETLINK_ROUTE socket; it talks to the namespace of the thread that created it, for life.</summary>
internal sealed class NetlinkSocket : INetlinkTransport
{
    private readonly NetlinkHandle _handle;

    private NetlinkSocket(NetlinkHandle handle) => _handle = handle;

    /// <summary>Opens a socket in the calling thread's current network namespace.</summary>
    public static NetlinkSocket Open() => new(Native.OpenRouteSocket());

    public void Send(ReadOnlySpan<byte> message) => Native.Send(_handle, message);

    public int Receive(Span<byte> buffer) => Native.Receive(_handle, buffer);

    public void Dispose() => _handle.Dispose();
}
