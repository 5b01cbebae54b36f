using static Tmds.Linux.LibC;

namespace NetPortal.Linux.Interop;

internal static unsafe partial class Native
{
    private const int NETLINK_NETFILTER = 12;

    /// <summary>
    /// A NETLINK_NETFILTER socket in the calling thread's network namespace. Replies to a batch (echoed rules,
    /// one ACK per message) can outgrow the default receive buffer, so it is raised; a receive timeout turns a
    /// kernel that never answers (it always does) into an error instead of a hung firewall lock.
    /// </summary>
    public static NetlinkHandle OpenNetfilterSocket(int receiveBufferBytes, int receiveTimeoutMs)
    {
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
        if (fd < 0) throw Fail("socket(AF_NETLINK, NETLINK_NETFILTER)");
        var handle = new NetlinkHandle(fd);
        try
        {
            var sa = new sockaddr_nl { nl_family = (ushort)AF_NETLINK };
            if (bind(fd, (Tmds.Linux.sockaddr*)&sa, (Tmds.Linux.socklen_t)sizeof(sockaddr_nl)) != 0) throw Fail("bind(NETLINK_NETFILTER)");
            int size = receiveBufferBytes;
            if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(int)) != 0) throw Fail("setsockopt(SO_RCVBUF)");
            var timeout = new Timeval { Seconds = receiveTimeoutMs / 1000, Microseconds = receiveTimeoutMs % 1000 * 1000 };
            if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, (Tmds.Linux.socklen_t)sizeof(Timeval)) != 0)
                throw Fail("setsockopt(SO_RCVTIMEO)");
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits for an RCU grace period (membarrier MEMBARRIER_CMD_GLOBAL is synchronize_rcu() in the kernel) without
    /// holding any kernel lock: see IptablesNetlink for why that matters.
    /// </summary>
    public static void WaitForRcuGracePeriod()
    {
        const int MEMBARRIER_CMD_GLOBAL = 1;
        long number = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => 324,
            System.Runtime.InteropServices.Architecture.Arm64 => 283,
            _ => throw new Netlink.NetlinkException(ENOSYS, "membarrier (unknown syscall number on this architecture)"),
        };
        if (syscall(number, MEMBARRIER_CMD_GLOBAL, 0, 0) != 0) throw Fail("membarrier(MEMBARRIER_CMD_GLOBAL)");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long syscall(long number, int cmd, uint flags, int cpu);

    // struct timeval on LP64 (x64, arm64): two longs.
    private struct Timeval
    {
        public long Seconds;
        public long Microseconds;
    }
}
