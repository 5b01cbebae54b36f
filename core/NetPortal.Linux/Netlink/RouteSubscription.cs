using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

/// <summary>A source of rtnetlink notifications read without blocking: the real socket, or scripted ones in tests.</summary>
internal interface IRouteNotifications : IDisposable
{
    /// <summary>One datagram's length, or 0 when nothing is queued; NetlinkException(ENOBUFS) after an overflow.</summary>
    int TryReceive(Span<byte> buffer);
}

/// <summary>A NETLINK_ROUTE socket bound to multicast groups; like any netlink socket it belongs to the namespace it was opened in.</summary>
internal sealed class RouteSubscription : IRouteNotifications
{
    private readonly NetlinkHandle _handle;

    private RouteSubscription(NetlinkHandle handle) => _handle = handle;

    /// <summary>Subscribes, in the calling thread's namespace, to <paramref name="groups"/> (RTMGRP_* bits).</summary>
    public static RouteSubscription Open(uint groups, int receiveBuffer) => new(Native.OpenRouteSubscription(groups, receiveBuffer));

    public int TryReceive(Span<byte> buffer) => Native.ReceiveNonBlocking(_handle, buffer);

    public void Dispose() => _handle.Dispose();
}
