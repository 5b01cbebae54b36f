namespace NetPortal.Linux.Netlink;

/// <summary>A datagram channel to the kernel: the real socket, or scripted replies in tests.</summary>
internal interface INetlinkTransport : IDisposable
{
    void Send(ReadOnlySpan<byte> message);

    /// <summary>Receives one datagram (possibly several messages); returns its length.</summary>
    int Receive(Span<byte> buffer);
}
