using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Ports;
using NetPortal.Linux.Firewall.Nftables;
using static NetPortal.Linux.Tests.Firewall.FirewallScenarios;

namespace NetPortal.Linux.Tests.Firewall.Nftables;

/// <summary>Published ports as map and set elements: golden scripts with a fake nft, then the real one.</summary>
public sealed class NftablesPortTests
{
    private static readonly PortMapping Web = new("tcp", "0.0.0.0", 8080, "10.1.1.2", 80);
    private static readonly PortMapping WebAlias = new("tcp", "0.0.0.0", 8081, "10.1.1.2", 80);
    private static readonly PortMapping Dns = new("udp", "127.0.0.1", 5353, "10.1.1.2", 53);
    private static readonly PortMapping WebV6Twin = new("tcp", "::", 8080, "10.1.1.2", 80);
    private static readonly PortMapping WebV6 = new("tcp", "::", 8080, "fd00:1::2", 80);

    [Fact]
    public void Publish_is_one_element_batch_per_call()
    {
        var nft = new FakeNft();
        var firewall = new NftablesFirewall(nft.Run, NullLogger<NftablesFirewall>.Instance);

        firewall.AddPortMappings(Dual, [Web, Dns, WebV6Twin, WebV6]);

        NftGolden.AssertMatches("12-publish.nft", Assert.Single(nft.Scripts));
    }

    [Fact]
    public void Unpublish_keeps_elements_another_mapping_still_needs()
    {
        var nft = new FakeNft();
        var firewall = new NftablesFirewall(nft.Run, NullLogger<NftablesFirewall>.Instance);
        firewall.AddPortMappings(MyBridge, [Web, WebAlias]);

        firewall.RemovePortMappings(MyBridge, [Web]);

        NftGolden.AssertMatches("13-unpublish-shared.nft", nft.Scripts[1]);
        Assert.DoesNotContain("published {", nft.Scripts[1], StringComparison.Ordinal);
    }

    [NftablesFact]
    public void Kernel_has_one_element_per_mapping_and_reconcile_leaves_them()
    {
        using var ns = new NftNamespace();
        var firewall = new NftablesFirewall(ns.Run, NullLogger<NftablesFirewall>.Instance);
        firewall.Initialize();
        firewall.AddNetwork(MyBridge);
        var rules = ns.Table().RuleCount;

        firewall.AddPortMappings(MyBridge, [Web, WebAlias, Dns]);
        Assert.Empty(firewall.Reconcile([MyBridge]));

        var ip = ns.Table();
        Assert.Equal(["tcp . 8080 : 10.1.1.2 . 80", "tcp . 8081 : 10.1.1.2 . 80"], Elements(ip, "published-ports-any"));
        Assert.Equal(["udp . 127.0.0.1 . 5353 : 10.1.1.2 . 53"], Elements(ip, "published-ports"));
        Assert.Equal(["10.1.1.2 . tcp . 80", "10.1.1.2 . udp . 53"], Elements(ip, "published"));
        Assert.Equal(rules, ip.RuleCount);

        firewall.RemovePortMappings(MyBridge, [Web]);
        Assert.Equal(["10.1.1.2 . tcp . 80", "10.1.1.2 . udp . 53"], Elements(ns.Table(), "published"));
        firewall.RemovePortMappings(MyBridge, [WebAlias, Dns]);
        firewall.RemovePortMappings(MyBridge, [WebAlias, Dns]);
        Assert.Empty(new[] { "published-ports-any", "published-ports", "published", "dnat-own-bridge", "published-hairpin" }
            .SelectMany(s => Elements(ns.Table(), s)));
    }

    private static List<string> Elements(NftTableState state, string set) =>
        [.. state.Sets[set].Elements.Select(e => e.Render()).Order(StringComparer.Ordinal)];
}
