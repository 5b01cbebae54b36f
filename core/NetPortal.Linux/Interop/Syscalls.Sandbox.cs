using NetPortal.Linux.Netlink;
using static Tmds.Linux.LibC;

namespace NetPortal.Linux.Interop;

/// <summary>Syscalls of the sandbox runtime: pidfds (waiting for processes we did not fork), epoll, kill, mount propagation.</summary>
internal static unsafe class SandboxSyscalls
{
    // <linux/mount.h>: propagation types are changed by mount("", target, NULL, MS_xxx, NULL).
    public const ulong MS_PRIVATE = 1 << 18, MS_SHARED = 1 << 20;

    private const int SYS_pidfd_open = 434; // same number on every architecture (unified syscall table since 5.3)
    private const int EPOLLIN = 0x001;
    private const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;

    /// <summary>A pidfd becomes readable when the process exits (pidfd_open(2), Linux 5.3); it never refers to a reused PID.</summary>
    public static int PidfdOpen(int pid, out int error)
    {
        long fd = (long)syscall(SYS_pidfd_open, pid, 0);
        error = fd < 0 ? errno : 0;
        return (int)fd;
    }

    public static int EpollCreate()
    {
        int fd = epoll_create1(EPOLL_CLOEXEC);
        if (fd < 0) throw new NetlinkException(errno, "epoll_create1");
        return fd;
    }

    public static void EpollAdd(int epfd, int fd, ulong token)
    {
        var ev = new Tmds.Linux.epoll_event { events = EPOLLIN };
        ev.data.u64 = token;
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) throw new NetlinkException(errno, "epoll_ctl(ADD)");
    }

    public static void EpollRemove(int epfd, int fd)
    {
        var ev = default(Tmds.Linux.epoll_event);
        epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev); // ENOENT when already removed: nothing to do
    }

    /// <summary>Blocks until at least one registration fires; returns the tokens (EINTR yields none).</summary>
    public static int EpollWait(int epfd, Span<ulong> tokens)
    {
        var events = stackalloc Tmds.Linux.epoll_event[tokens.Length];
        int n = epoll_wait(epfd, events, tokens.Length, -1);
        if (n < 0)
        {
            if (errno == EINTR) return 0;
            throw new NetlinkException(errno, "epoll_wait");
        }
        for (int i = 0; i < n; i++) tokens[i] = events[i].data.u64;
        return n;
    }

    public static void Close(int fd) => close(fd);

    /// <summary>Returns 0 or the errno (ESRCH when the process is gone).</summary>
    public static int Kill(int pid, int signal) => kill(pid, signal) == 0 ? 0 : errno;
}
