namespace NetPortal.Linux.Host;

/// <summary>
/// An external program the daemon starts (iptables-restore, nft, nsenter…) and the Debian package that provides
/// it, so a missing one can be named with its fix at start-up instead of failing at the first request.
/// </summary>
public sealed record HostProgram(string Name, string DebianPackage)
{
    public override string ToString() => $"{Name} ({DebianPackage})";
}
