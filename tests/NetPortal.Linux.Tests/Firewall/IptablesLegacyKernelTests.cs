using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Linux.Firewall;
using NetPortal.Linux.Netfilter;
using static NetPortal.Linux.Tests.Firewall.FirewallScenarios;

namespace NetPortal.Linux.Tests.Firewall;

/// <summary>
/// A host whose iptables is the legacy (x_tables) backend: nf_tables holds none of its rules, so the netlink path
/// must notice that the handles never line up and leave every change to iptables-restore.
/// </summary>
public sealed class IptablesLegacyKernelTests : IDisposable
{
    private readonly FirewallNamespace _ns = new();

    public void Dispose() => _ns.Dispose();

    [IptablesFact]
    public void With_iptables_legacy_every_change_goes_through_iptables_restore_and_lands()
    {
        // "iptables-save" → "iptables-legacy-save", and so on: the firewall does not know which backend it runs.
        ProcessResult Legacy(string file, IReadOnlyList<string> args, string? stdin) =>
            _ns.Run(file.Replace("tables-", "tables-legacy-", StringComparison.Ordinal), args, stdin);
        using var firewall = new IptablesFirewall(Legacy, NullLogger<IptablesFirewall>.Instance)
        {
            NetlinkNamespacePath = $"/var/run/netns/{_ns.Name}",
        };

        firewall.Initialize();
        firewall.AddNetwork(Docker0);
        firewall.AddNetwork(MyBridge);
        firewall.RemoveNetwork(Docker0);

        Assert.Equal(0, firewall.NetlinkCommits);
        var save = _ns.Iptables("iptables-legacy-save");
        Assert.Contains("-A FORWARD -o br-000000000001 -j DOCKER", save);
        Assert.Contains("-A POSTROUTING -s 10.1.1.0/24 ! -o br-000000000001 -j MASQUERADE", save);
        Assert.DoesNotContain("docker0", save);
        using var socket = NftSocket.OpenIn($"/var/run/netns/{_ns.Name}");
        Assert.Empty(socket.DumpRules(NfTables.NFPROTO_IPV4));
    }
}
