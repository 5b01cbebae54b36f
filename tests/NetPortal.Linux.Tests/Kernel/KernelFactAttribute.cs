namespace NetPortal.Linux.Tests.Kernel;

/// <summary>A test that touches the kernel: needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN) and iproute2.</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux";
        else if (Environment.UserName != "root" && !IsRootUid()) Skip = "needs root";
        else if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip")) Skip = "needs iproute2";
    }

    private static bool IsRootUid() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:"))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0";
}
