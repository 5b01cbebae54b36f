using NetPortal.Linux.Host;
using NetPortal.Linux.Sandboxes;

namespace NetPortal.Api.Daemon;

/// <summary>
/// The host programs a daemon with these settings starts, checked once before it touches anything: a missing
/// one stops it with one line naming the program and its Debian package, never a stack trace at the first request.
/// </summary>
public static class DaemonPrograms
{
    /// <summary>Programs started by name through the daemon's PATH (firewall, embedded DNS NAT, insight dumps).</summary>
    public static IReadOnlyList<HostProgram> OnPath(DaemonSettings settings)
    {
        // The embedded DNS redirects 127.0.0.11:53 inside each sandbox with iptables-restore whatever the
        // backend, and drift/insight dump the managed namespace's ruleset, so iptables is needed even with
        // --iptables=false or the nftables backend.
        var list = new List<HostProgram> { HostPrograms.IptablesSave, HostPrograms.IptablesRestore };
        if (settings.Options.Iptables && settings.FirewallBackend == "iptables") list.Add(HostPrograms.Iptables);
        if (settings.FirewallBackend == "nftables") list.Add(HostPrograms.Nft);
        return list;
    }

    /// <summary>Programs the sandbox runtime starts from its fixed search path (sandboxes run with a clean PATH).</summary>
    public static IReadOnlyList<HostProgram> OnSandboxPath() => [HostPrograms.Nsenter, HostPrograms.Unshare, HostPrograms.Setsid];

    /// <summary>The one-line refusal, or null when everything is there.</summary>
    public static string? Check(DaemonSettings settings)
    {
        var missing = HostPrograms.Missing(OnPath(settings))
            .Concat(HostPrograms.Missing(OnSandboxPath(), LinuxSandboxRuntime.DefaultPath))
            .DistinctBy(p => p.Name)
            .ToList();
        return missing.Count == 0 ? null : HostPrograms.Explain(missing);
    }
}
