using System.Runtime.InteropServices;
using NetPortal.Linux.Netlink;
using static Tmds.Linux.LibC;

namespace NetPortal.Linux.Interop;

/// <summary>The only unsafe code: thin syscall wrappers that turn -1 into NetlinkException(errno, op).</summary>
internal static unsafe partial class Native
{
    public const ulong MS_BIND = 0x1000, MS_REC = 0x4000, MS_SHARED = 1 << 20;
    public const int MNT_DETACH = 2;

    public static NetlinkHandle OpenRouteSocket()
    {
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, Nl.NETLINK_ROUTE);
        if (fd < 0) throw Fail("socket(AF_NETLINK)");
        var handle = new NetlinkHandle(fd);
        // nl_pid 0 lets the kernel pick a unique port id; replies come from port 0 (the kernel).
        var sa = new sockaddr_nl { nl_family = (ushort)AF_NETLINK };
        if (bind(fd, (Tmds.Linux.sockaddr*)&sa, (Tmds.Linux.socklen_t)sizeof(sockaddr_nl)) != 0)
        {
            var e = Fail("bind(AF_NETLINK)");
            handle.Dispose();
            throw e;
        }
        return handle;
    }

    public static void Send(NetlinkHandle h, ReadOnlySpan<byte> message)
    {
        fixed (byte* p = message)
        {
            long n;
            do n = (long)send(h.Fd, p, (Tmds.Linux.size_t)message.Length, 0);
            while (n < 0 && errno == EINTR);
            if (n < 0) throw Fail("send(netlink)");
        }
    }

    public static int Receive(NetlinkHandle h, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            long n;
            do n = (long)recv(h.Fd, p, (Tmds.Linux.size_t)buffer.Length, 0);
            while (n < 0 && errno == EINTR);
            if (n < 0) throw Fail("recv(netlink)");
            return (int)n;
        }
    }

    /// <summary>Moves only the calling thread into the namespace behind <paramref name="nsFd"/>.</summary>
    public static void SetNetNamespace(SafeHandle nsFd)
    {
        if (setns((int)nsFd.DangerousGetHandle(), CLONE_NEWNET) != 0) throw Fail("setns(CLONE_NEWNET)");
    }

    /// <summary>Gives the calling thread a fresh network namespace (allowed in multi-threaded processes for CLONE_NEWNET).</summary>
    public static void UnshareNetNamespace()
    {
        if (unshare(CLONE_NEWNET) != 0) throw Fail("unshare(CLONE_NEWNET)");
    }

    public static void Mount(string source, string target, string? fsType, ulong flags, string op)
    {
        if (mount_(source, target, fsType, (nuint)flags, IntPtr.Zero) != 0) throw new NetlinkException(Marshal.GetLastPInvokeError(), op);
    }

    public static int TryMount(string source, string target, string? fsType, ulong flags) =>
        mount_(source, target, fsType, (nuint)flags, IntPtr.Zero) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static void Unmount(string target, int flags)
    {
        if (umount2_(target, flags) != 0) throw new NetlinkException(Marshal.GetLastPInvokeError(), $"umount {target}");
    }

    private static NetlinkException Fail(string op) => new(errno, op);

    // Tmds.LibC 0.5.0 has no mount/umount2.
    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount_(string source, string target, string? fsType, nuint flags, IntPtr data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2_(string target, int flags);
}
