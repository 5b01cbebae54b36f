using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Errors;
using NetPortal.Linux.Firewall.Nftables;
using static NetPortal.Linux.Tests.Firewall.FirewallScenarios;

namespace NetPortal.Linux.Tests.Firewall.Nftables;

/// <summary>
/// Every byte NftablesFirewall hands to <c>nft -f -</c>, pinned by testdata/nftables/*.nft; nft itself is faked,
/// so these run anywhere. The kernel tests apply the same scripts for real.
/// </summary>
public sealed class NftablesGoldenTests
{
    private readonly FakeNft _nft = new();
    private readonly NftablesFirewall _firewall;

    public NftablesGoldenTests() => _firewall = new NftablesFirewall(_nft.Run, NullLogger<NftablesFirewall>.Instance);

    [Fact]
    public void Initialize_creates_both_tables_in_one_transaction()
    {
        _firewall.Initialize();

        NftGolden.AssertMatches("00-initialize.nft", Assert.Single(_nft.Scripts));
        Assert.Equal(2, _nft.Lists);
    }

    [Theory]
    [InlineData("01-add-docker0.nft", "docker0")]
    [InlineData("02-add-internal.nft", "internal")]
    [InlineData("03-add-noicc.nft", "noicc")]
    [InlineData("04-add-nomasq.nft", "nomasq")]
    [InlineData("05-add-internal-noicc.nft", "internal-noicc")]
    [InlineData("06-add-dual.nft", "dual")]
    public void Add_is_one_element_batch_without_reading(string golden, string network)
    {
        _firewall.AddNetwork(Network(network));

        NftGolden.AssertMatches(golden, Assert.Single(_nft.Scripts));
        Assert.Equal(0, _nft.Lists);
    }

    [Theory]
    [InlineData("07-remove-mybridge.nft", "mybridge")]
    [InlineData("08-remove-dual.nft", "dual")]
    public void Remove_deletes_every_element_the_bridge_can_have(string golden, string network)
    {
        _firewall.RemoveNetwork(Network(network));

        NftGolden.AssertMatches(golden, Assert.Single(_nft.Scripts));
        Assert.Equal(0, _nft.Lists);
    }

    [Fact]
    public void Forward_policy_drop_is_set_on_the_ip_table_only()
    {
        _firewall.DropUnmatchedForwarding();

        NftGolden.AssertMatches("09-forward-policy-drop.nft", Assert.Single(_nft.Scripts));
    }

    [Fact]
    public void Reconcile_writes_only_the_difference()
    {
        // docker0, br-000000000001 and br-000000000003 (icc off), as the kernel listed them after those adds.
        _nft.Tables["ip"] = NftGolden.Read("state-docker0-mybridge-noicc.ip.json");
        _nft.Tables["ip6"] = NftGolden.Read("state-empty.ip6.json");

        var changes = _firewall.Reconcile([Docker0, NoIcc with { EnableIcc = true }, Internal]);

        NftGolden.AssertMatches("10-reconcile.nft", Assert.Single(_nft.Scripts));
        Assert.Contains("delete element ip netportal bridges { \"br-000000000001\" }", changes);
        Assert.Contains("delete element ip netportal no-icc { \"br-000000000003\" }", changes);
        Assert.Contains("add element ip netportal internal { \"br-000000000002\" }", changes);
        Assert.DoesNotContain(changes, c => c.Contains("docker0", StringComparison.Ordinal));
    }

    [Fact]
    public void Reconcile_with_the_kernel_already_equal_writes_nothing()
    {
        _nft.Tables["ip"] = NftGolden.Read("state-docker0-mybridge-noicc.ip.json");
        _nft.Tables["ip6"] = NftGolden.Read("state-empty.ip6.json");

        Assert.Empty(_firewall.Reconcile([Docker0, MyBridge, NoIcc]));
        Assert.Empty(_nft.Scripts);
    }

    [Fact]
    public void Initialize_refills_only_a_chain_whose_rules_changed_and_never_the_user_chain()
    {
        // Someone deleted our "icc" rule and added one of their own to filter-FORWARD.
        var state = NftGolden.Read("state-docker0-mybridge-noicc.ip.json");
        var icc = state.IndexOf("\"comment\": \"icc\"", StringComparison.Ordinal);
        Assert.True(icc > 0, "state file has the icc rule");
        _nft.Tables["ip"] = state.Replace("\"comment\": \"icc\"", "\"comment\": \"someone else's\"", StringComparison.Ordinal);
        _nft.Tables["ip6"] = NftGolden.Read("state-empty.ip6.json");

        _firewall.Initialize();

        var script = Assert.Single(_nft.Scripts);
        NftGolden.AssertMatches("11-repair-forward.nft", script);
        Assert.DoesNotContain("flush chain ip netportal user-forward", script, StringComparison.Ordinal);
        Assert.DoesNotContain("flush table", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_bridge_names_and_subnets_never_reach_nft()
    {
        Assert.Throws<NetPortalException>(() => _firewall.AddNetwork(MyBridge with { BridgeName = "br\" ; flush ruleset" }));
        Assert.Throws<NetPortalException>(() => _firewall.AddNetwork(MyBridge with { SubnetsV4 = ["10.1.1.0/33"] }));
        Assert.Throws<NetPortalException>(() => _firewall.RemoveNetwork(MyBridge with { BridgeName = "" }));
        Assert.Empty(_nft.Scripts);
    }

    [Fact]
    public void The_ruleset_has_the_same_rules_whatever_the_number_of_networks()
    {
        var rules = NetPortalNftLayout.Ip.Chains.Sum(c => c.Rules.Count);

        Assert.Equal(19, rules);
        Assert.Equal(rules, NetPortalNftLayout.Ip6.Chains.Sum(c => c.Rules.Count));
        Assert.Empty(NetPortalNftLayout.Ip.Chains.Single(c => c.UserOwned).Rules);
    }

    internal static Core.Drivers.NetworkFirewallSpec Network(string name) => name switch
    {
        "docker0" => Docker0,
        "mybridge" => MyBridge,
        "internal" => Internal,
        "noicc" => NoIcc,
        "nomasq" => NoMasquerade,
        "internal-noicc" => InternalNoIcc,
        "dual" => Dual,
        _ => throw new ArgumentException(name),
    };
}
