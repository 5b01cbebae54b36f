using static Tmds.Linux.LibC;

namespace NetPortal.Linux.Interop;

internal static unsafe partial class Native
{
    /// <summary>
    /// Opens a NETLINK_ROUTE socket in the calling thread's namespace that receives the multicast notifications of
    /// <paramref name="groups"/> (RTMGRP_* bits), with a receive buffer of <paramref name="receiveBuffer"/> bytes
    /// (SO_RCVBUFFORCE, so net.core.rmem_max does not cap it; falls back to SO_RCVBUF without CAP_NET_ADMIN).
    /// </summary>
    public static NetlinkHandle OpenRouteSubscription(uint groups, int receiveBuffer)
    {
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, Nl.NETLINK_ROUTE);
        if (fd < 0) throw Fail("socket(AF_NETLINK)");
        var handle = new NetlinkHandle(fd);
        try
        {
            var size = receiveBuffer;
            if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(int)) != 0 &&
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(int)) != 0)
                throw Fail("setsockopt(SO_RCVBUF)");
            var sa = new sockaddr_nl { nl_family = (ushort)AF_NETLINK, nl_groups = groups };
            if (bind(fd, (Tmds.Linux.sockaddr*)&sa, (Tmds.Linux.socklen_t)sizeof(sockaddr_nl)) != 0) throw Fail("bind(AF_NETLINK groups)");
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Receives one datagram without blocking: its length, or 0 when nothing is queued. Throws NetlinkException
    /// with ENOBUFS when the kernel dropped notifications because the receive buffer was full.
    /// </summary>
    public static int ReceiveNonBlocking(NetlinkHandle h, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            long n;
            do n = (long)recv(h.Fd, p, (Tmds.Linux.size_t)buffer.Length, MSG_DONTWAIT);
            while (n < 0 && errno == EINTR);
            if (n < 0)
            {
                var e = errno;
                if (e == EAGAIN || e == EWOULDBLOCK) return 0;
                throw new Netlink.NetlinkException(e, "recv(netlink notifications)");
            }
            return (int)n;
        }
    }
}
