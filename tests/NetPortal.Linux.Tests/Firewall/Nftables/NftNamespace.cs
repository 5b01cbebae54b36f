using NetPortal.Linux.Firewall;
using NetPortal.Linux.Firewall.Nftables;

namespace NetPortal.Linux.Tests.Firewall.Nftables;

/// <summary>
/// A fresh `ip netns add nptest-nft-RANDOM` namespace standing for the managed one, and a runner that executes
/// programs in it via nsenter, so nft never runs in the root namespace. Deleting the namespace drops its tables.
/// </summary>
internal sealed class NftNamespace : IDisposable
{
    public NftNamespace(string? name = null)
    {
        Name = name ?? NewName();
        Exec("ip", ["netns", "add", Name], null).EnsureSuccess("ip netns add");
    }

    public string Name { get; }

    /// <summary>Every program the firewall ran, with its arguments, to count processes per call.</summary>
    public List<string> Runs { get; } = [];

    public static string NewName() => "nptest-nft-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The delegate NftablesFirewall takes.</summary>
    public ProcessResult Run(string file, IReadOnlyList<string> args, string? stdin)
    {
        lock (Runs)
        {
            Runs.Add($"{file} {string.Join(' ', args)}");
        }

        return Exec("nsenter", [$"--net=/var/run/netns/{Name}", file, .. args], stdin);
    }

    /// <summary>Runs a program in the namespace, as a user (or the test) would.</summary>
    public string Must(string file, params string[] args) =>
        Exec("nsenter", [$"--net=/var/run/netns/{Name}", file, .. args], null).EnsureSuccess($"{file} {string.Join(' ', args)}").StdOut;

    public ProcessResult Try(string file, params string[] args) => Exec("nsenter", [$"--net=/var/run/netns/{Name}", file, .. args], null);

    /// <summary>`nft -j list table FAMILY netportal`, parsed.</summary>
    public NftTableState Table(string family = "ip") => NftTableState.Parse(Must("nft", "-j", "list", "table", family, "netportal"));

    public void Dispose() => Exec("ip", ["netns", "del", Name], null);

    public static ProcessResult Exec(string file, IReadOnlyList<string> args, string? stdin) => FirewallNamespace.Exec(file, args, stdin);
}
