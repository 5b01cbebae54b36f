using NetPortal.Core.Daemon;

namespace NetPortal.Api.Daemon;

/// <summary>Everything the daemon was started with, after parsing flags and the config file.</summary>
public sealed record DaemonSettings
{
    public const string DefaultSocket = "unix:///run/netportal/netportal.sock";

    public IReadOnlyList<string> Hosts { get; init; } = [DefaultSocket];
    /// <summary>Name or path of the managed network namespace; null means the namespace the daemon runs in.</summary>
    public string? Netns { get; init; }
    public string DataRoot { get; init; } = "/var/lib/netportal";
    /// <summary>Runtime state (sandbox namespaces and files), like dockerd's --exec-root.</summary>
    public string ExecRoot { get; init; } = "/run/netportal";
    public string? ConfigFile { get; init; }
    public string LogLevel { get; init; } = "info";
    public string FirewallBackend { get; init; } = "iptables";
    /// <summary>dockerd's --userland-proxy: true serves published ports with the in-process proxy too; false means hairpin NAT only.</summary>
    public bool UserlandProxy { get; init; } = true;
    public DaemonOptions Options { get; init; } = new();

    public string NetnsDescription => Netns ?? "(daemon's own)";
}
