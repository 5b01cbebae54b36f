using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Drivers;
using NetPortal.Linux.Firewall.Nftables;
using Xunit.Abstractions;
using static NetPortal.Linux.Tests.Firewall.FirewallScenarios;

namespace NetPortal.Linux.Tests.Firewall.Nftables;

/// <summary>The real nft in a fresh namespace per test; assertions read the kernel back with <c>nft -j list table</c>. No traffic.</summary>
public sealed class NftablesKernelTests : IDisposable
{
    private const string UserRule = "ip saddr 10.9.9.9 drop";

    private readonly NftNamespace _ns = new();
    private readonly NftablesFirewall _firewall;
    private readonly ITestOutputHelper _out;

    public NftablesKernelTests(ITestOutputHelper output)
    {
        _out = output;
        _firewall = new NftablesFirewall(_ns.Run, NullLogger<NftablesFirewall>.Instance);
    }

    public void Dispose() => _ns.Dispose();

    [NftablesFact]
    public void Initialize_creates_both_tables_and_a_second_call_writes_nothing()
    {
        _firewall.Initialize();

        var ip = _ns.Table("ip");
        Assert.Equal(["filter-FORWARD", "nat-OUTPUT", "nat-POSTROUTING", "nat-PREROUTING", "nat-published", "user-forward"], ip.Chains.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("filter", "forward", 0, "accept"), Base(ip, "filter-FORWARD"));
        Assert.Equal(("nat", "prerouting", -100, "accept"), Base(ip, "nat-PREROUTING"));
        Assert.Equal(("nat", "output", -100, "accept"), Base(ip, "nat-OUTPUT"));
        Assert.Equal(("nat", "postrouting", 100, "accept"), Base(ip, "nat-POSTROUTING"));
        Assert.Equal(19, ip.RuleCount);
        Assert.Equal(19, _ns.Table("ip6").RuleCount);

        _ns.Runs.Clear();
        _firewall.Initialize();
        Assert.DoesNotContain("nft -f -", _ns.Runs);
    }

    [NftablesFact]
    public void Elements_after_each_step_are_the_networks()
    {
        _firewall.Initialize();
        foreach (var n in new[] { Docker0, MyBridge, Internal, NoIcc, NoMasquerade, InternalNoIcc, NoIccNoMasquerade })
        {
            _firewall.AddNetwork(n);
        }

        var ip = _ns.Table("ip");
        Assert.Equal(["\"br-000000000001\"", "\"br-000000000002\"", "\"br-000000000003\"", "\"br-000000000004\"", "\"br-000000000006\"", "\"br-000000000007\"", "\"docker0\""], Elements(ip, "bridges"));
        Assert.Equal(["\"br-000000000002\"", "\"br-000000000006\""], Elements(ip, "internal"));
        Assert.Equal(["\"br-000000000003\"", "\"br-000000000006\"", "\"br-000000000007\""], Elements(ip, "no-icc"));
        Assert.Equal(["10.1.1.0/24 . \"br-000000000001\"", "10.3.3.0/24 . \"br-000000000003\"", "172.17.0.0/16 . \"docker0\""], Elements(ip, "masq-subnets"));
        Assert.Equal(["\"br-000000000001\"", "\"br-000000000003\"", "\"docker0\""], Elements(ip, "skip-dnat"));
        Assert.Contains("\"br-000000000006\" . \"br-000000000006\"", Elements(ip, "same-bridge"));
        Assert.Equal(19, ip.RuleCount);
        Assert.Empty(Elements(_ns.Table("ip6"), "bridges"));

        foreach (var n in new[] { MyBridge, Internal, NoIcc, NoMasquerade, InternalNoIcc, NoIccNoMasquerade })
        {
            _firewall.RemoveNetwork(n);
        }

        ip = _ns.Table("ip");
        Assert.Equal(["\"docker0\""], Elements(ip, "bridges"));
        Assert.Empty(Elements(ip, "internal"));
        Assert.Empty(Elements(ip, "no-icc"));
        Assert.Equal(["172.17.0.0/16 . \"docker0\""], Elements(ip, "masq-subnets"));
    }

    [NftablesFact]
    public void Dual_stack_networks_fill_the_ip6_table_too()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(Dual);
        _firewall.AddNetwork(DualInternal);

        var ip6 = _ns.Table("ip6");
        Assert.Equal(["\"br-000000000011\"", "\"br-000000000012\""], Elements(ip6, "bridges"));
        Assert.Equal(["fd00:1::/64 . \"br-000000000011\""], Elements(ip6, "masq-subnets"));
        Assert.Equal(["\"br-000000000012\""], Elements(ip6, "internal"));

        _firewall.RemoveNetwork(Dual);
        _firewall.RemoveNetwork(DualInternal);
        Assert.Empty(Elements(_ns.Table("ip6"), "bridges"));
        Assert.Empty(Elements(_ns.Table("ip"), "bridges"));
    }

    [NftablesFact]
    public void Add_again_with_other_settings_replaces_the_bridge_elements()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(MyBridge);
        _firewall.AddNetwork(MyBridge with { EnableIcc = false, EnableMasquerade = false });

        var ip = _ns.Table("ip");
        Assert.Equal(["\"br-000000000001\""], Elements(ip, "no-icc"));
        Assert.Empty(Elements(ip, "masq-subnets"));
        Assert.Empty(Elements(ip, "skip-dnat"));
    }

    [NftablesFact]
    public void Remove_tolerates_elements_deleted_behind_its_back_and_a_second_remove()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(MyBridge);
        _ns.Must("nft", "delete", "element", "ip", "netportal", "bridges", "{ \"br-000000000001\" }");

        _firewall.RemoveNetwork(MyBridge);
        _firewall.RemoveNetwork(MyBridge);

        Assert.Empty(_ns.Table("ip").Sets.Values.SelectMany(s => s.Elements));
    }

    [NftablesFact]
    public void Add_after_the_table_was_deleted_recreates_it_in_a_retry()
    {
        _firewall.Initialize();
        _ns.Must("nft", "delete", "table", "ip", "netportal");

        _firewall.AddNetwork(MyBridge);

        var ip = _ns.Table("ip");
        Assert.Equal(19, ip.RuleCount);
        Assert.Equal(["\"br-000000000001\""], Elements(ip, "bridges"));
    }

    [NftablesFact]
    public void Reconcile_adds_missing_removes_stale_and_is_idempotent()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(Docker0);
        _firewall.AddNetwork(MyBridge);
        _firewall.AddNetwork(NoIcc);
        _ns.Must("nft", "delete", "element", "ip", "netportal", "masq-subnets", "{ 172.17.0.0/16 . \"docker0\" }");

        var changes = _firewall.Reconcile([Docker0, NoIcc, Internal]);

        Assert.Contains("add element ip netportal masq-subnets { 172.17.0.0/16 . \"docker0\" }", changes);
        Assert.Contains("delete element ip netportal bridges { \"br-000000000001\" }", changes);
        Assert.Contains("add element ip netportal internal { \"br-000000000002\" }", changes);
        var ip = _ns.Table("ip");
        Assert.Equal(["\"br-000000000002\"", "\"br-000000000003\"", "\"docker0\""], Elements(ip, "bridges"));

        _ns.Runs.Clear();
        Assert.Empty(_firewall.Reconcile([Docker0, NoIcc, Internal]));
        Assert.DoesNotContain("nft -f -", _ns.Runs);
    }

    [NftablesFact]
    public void Reconcile_on_a_flushed_ruleset_rebuilds_everything()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(Docker0);
        _ns.Must("nft", "flush", "ruleset");

        var changes = _firewall.Reconcile([Docker0, Dual]);

        Assert.Contains("set up table ip netportal", changes);
        Assert.Equal(["\"br-000000000011\"", "\"docker0\""], Elements(_ns.Table("ip"), "bridges"));
        Assert.Equal(["\"br-000000000011\""], Elements(_ns.Table("ip6"), "bridges"));
        Assert.Empty(_firewall.Reconcile([Docker0, Dual]));
    }

    [NftablesFact]
    public void User_chain_rules_survive_everything_and_its_jump_stays_first()
    {
        _firewall.Initialize();
        _ns.Must("nft", "add", "rule", "ip", "netportal", "user-forward", "ip", "saddr", "10.9.9.9", "drop", "comment", "\"mine\"");

        _firewall.AddNetwork(Docker0);
        _firewall.AddNetwork(MyBridge);
        _firewall.RemoveNetwork(MyBridge);
        AssertUserRuleAndJumpFirst();

        // Someone broke our forward chain: Initialize refills it, the user chain is left as it is.
        _ns.Must("nft", "flush", "chain", "ip", "netportal", "filter-FORWARD");
        _firewall.Initialize();
        AssertUserRuleAndJumpFirst();
        _firewall.Reconcile([Docker0, Internal]);
        AssertUserRuleAndJumpFirst();
        Assert.Empty(_firewall.Reconcile([Docker0, Internal]));
        AssertUserRuleAndJumpFirst();
    }

    [NftablesFact]
    public void Forward_policy_drop_survives_Initialize_and_Reconcile()
    {
        _firewall.DropUnmatchedForwarding();
        _firewall.Initialize();
        _firewall.Reconcile([Docker0]);
        _firewall.Initialize();

        Assert.Equal("drop", _ns.Table("ip").Chains["filter-FORWARD"].Policy);
        Assert.Equal("accept", _ns.Table("ip6").Chains["filter-FORWARD"].Policy);
        Assert.Equal(19, _ns.Table("ip").RuleCount);
    }

    [NftablesFact]
    public void Five_hundred_networks_then_the_501st_is_one_nft_call_and_the_rule_count_stays()
    {
        _firewall.Initialize();
        var rulesEmpty = _ns.Table("ip").RuleCount;
        var networks = Enumerable.Range(0, 500).Select(Numbered).ToList();

        var reconcile = Stopwatch.StartNew();
        var changes = _firewall.Reconcile(networks);
        reconcile.Stop();
        Assert.Equal(500 * 4, changes.Count);

        var adds = Stopwatch.StartNew();
        foreach (var n in networks.Take(50))
        {
            _firewall.AddNetwork(n);
        }

        adds.Stop();

        _ns.Runs.Clear();
        var one = Stopwatch.StartNew();
        _firewall.AddNetwork(Numbered(500));
        one.Stop();
        Assert.Equal(["nft -f -"], _ns.Runs);

        var ip = _ns.Table("ip");
        Assert.Equal(rulesEmpty, ip.RuleCount);
        Assert.Equal(501, Elements(ip, "bridges").Count);
        Assert.Equal(501, Elements(ip, "masq-subnets").Count);

        _ns.Runs.Clear();
        var remove = Stopwatch.StartNew();
        _firewall.RemoveNetwork(Numbered(250));
        remove.Stop();
        Assert.Equal(["nft -f -"], _ns.Runs);

        var again = Stopwatch.StartNew();
        var noChanges = _firewall.Reconcile([.. networks.Where(n => n.BridgeName != Numbered(250).BridgeName), Numbered(500)]);
        again.Stop();
        Assert.Empty(noChanges);
        var reread = Stopwatch.StartNew();
        _ns.Table("ip");
        reread.Stop();

        _out.WriteLine($"500 networks: reconcile {reconcile.Elapsed.TotalMilliseconds:F0} ms (one nft -f, {changes.Count} elements); " +
            $"re-add of 50 existing: {adds.Elapsed.TotalMilliseconds / 50:F1} ms each; add #501: {one.Elapsed.TotalMilliseconds:F1} ms; " +
            $"remove: {remove.Elapsed.TotalMilliseconds:F1} ms; no-op reconcile of 500: {again.Elapsed.TotalMilliseconds:F0} ms; " +
            $"nft -j list table: {reread.Elapsed.TotalMilliseconds:F0} ms; rules: {ip.RuleCount} (empty table: {rulesEmpty})");
    }

    internal static NetworkFirewallSpec Numbered(int i) =>
        MyBridge with { NetworkId = $"net-{i}", BridgeName = $"br-{i:x12}", SubnetsV4 = [$"10.{100 + (i / 256)}.{i % 256}.0/24"] };

    private static (string?, string?, int?, string?) Base(NftTableState state, string chain)
    {
        var c = state.Chains[chain];
        return (c.Type, c.Hook, c.Priority, c.Policy);
    }

    private static List<string> Elements(NftTableState state, string set) =>
        [.. state.Sets[set].Elements.Select(e => e.Render()).Order(StringComparer.Ordinal)];

    private void AssertUserRuleAndJumpFirst()
    {
        var listing = _ns.Must("nft", "list", "chain", "ip", "netportal", "user-forward");
        Assert.Contains(UserRule, listing, StringComparison.Ordinal);
        var ip = _ns.Table("ip");
        Assert.Equal("user", ip.Chains["filter-FORWARD"].Comments[0]);
        Assert.Single(ip.Chains["user-forward"].Comments);
    }
}
