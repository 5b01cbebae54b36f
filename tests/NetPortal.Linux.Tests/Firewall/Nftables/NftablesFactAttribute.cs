namespace NetPortal.Linux.Tests.Firewall.Nftables;

/// <summary>A test that runs nft in scratch namespaces: needs root, iproute2, nsenter and nft.</summary>
public sealed class NftablesFactAttribute : FactAttribute
{
    public NftablesFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux";
        else if (!File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Uid:\t0\t", StringComparison.Ordinal))) Skip = "needs root";
        else if (IptablesFactAttribute.FindTool("nsenter") is null || IptablesFactAttribute.FindTool("ip") is null) Skip = "needs nsenter and iproute2";
        else if (IptablesFactAttribute.FindTool("nft") is null) Skip = "needs nft";
    }
}
