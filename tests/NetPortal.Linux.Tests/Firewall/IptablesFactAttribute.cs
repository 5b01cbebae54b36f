namespace NetPortal.Linux.Tests.Firewall;

/// <summary>A test that runs iptables in a scratch namespace: needs root, iproute2, nsenter and iptables.</summary>
public sealed class IptablesFactAttribute : FactAttribute
{
    public IptablesFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux";
        else if (!IsRoot()) Skip = "needs root";
        else if (FindTool("nsenter") is null || FindTool("ip") is null) Skip = "needs nsenter and iproute2";
        else if (FindTool("iptables-restore") is null || FindTool("ip6tables-restore") is null) Skip = "needs iptables";
    }

    internal static string? FindTool(string name) =>
        new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" }.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static bool IsRoot() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            ?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0";
}
