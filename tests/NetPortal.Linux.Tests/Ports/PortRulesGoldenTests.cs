using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;
using NetPortal.Core.Ports;
using NetPortal.Linux.Firewall;
using NetPortal.Linux.Tests.Firewall;

namespace NetPortal.Linux.Tests.Ports;

/// <summary>
/// Port rules against iptables-save captured from dockerd 20.10 (testdata/iptables/20..25, see its README) for
/// `docker run -p 8080:80 -p 127.0.0.1:9090:90/udp -p 53` (+ `-p [::1]:9092:92` with IPv6), on docker0 and a user
/// network, with the userland proxy (default) and with --userland-proxy=false (hairpin), through an in-memory iptables.
/// </summary>
public sealed class PortRulesGoldenTests
{
    // The reference daemons' networks: docker0, and the user networks `docker network create` gave.
    private static readonly NetworkFirewallSpec Docker0 = Spec("docker0", "172.17.0.0/16");
    private static readonly NetworkFirewallSpec UserNet = Spec("br-45ff56018a9e", "192.168.192.0/20");
    private static readonly NetworkFirewallSpec Docker0Dual = Spec("docker0", "172.17.0.0/16", "fd00:dead::/64");
    private static readonly NetworkFirewallSpec HairpinUserNet = Spec("br-19f5480aa23f", "172.18.0.0/16");

    // pref1 in dockerd's order (it appends per mapping: udp 90 first, then 80 and 53, IPv4 before the [::] twin).
    private static readonly PortMapping[] Pref1 =
    [
        new("udp", "127.0.0.1", 9090, "172.17.0.2", 90),
        new("tcp", "0.0.0.0", 8080, "172.17.0.2", 80),
        new("tcp", "::", 8080, "172.17.0.2", 80),
        new("tcp", "0.0.0.0", 32769, "172.17.0.2", 53),
        new("tcp", "::", 32769, "172.17.0.2", 53),
    ];

    private static readonly PortMapping[] Pref2 =
    [
        new("udp", "127.0.0.1", 9091, "192.168.192.2", 91),
        new("tcp", "0.0.0.0", 8081, "192.168.192.2", 80),
        new("tcp", "::", 8081, "192.168.192.2", 80),
    ];

    private const string V6 = "fd00:dead::242:ac11:2";

    private static readonly PortMapping[] HairpinPref1 =
    [
        new("udp", "127.0.0.1", 9090, "172.17.0.2", 90),
        new("tcp", "::1", 9092, V6, 92),
        new("tcp", "0.0.0.0", 8080, "172.17.0.2", 80),
        new("tcp", "::", 8080, V6, 80),
        new("tcp", "0.0.0.0", 32768, "172.17.0.2", 53),
        new("tcp", "::", 32768, V6, 53),
    ];

    private static readonly PortMapping[] HairpinPref2 =
    [
        new("udp", "127.0.0.1", 9091, "172.18.0.2", 91),
        new("tcp", "0.0.0.0", 8081, "172.18.0.2", 80),
        new("tcp", "::", 8081, "172.18.0.2", 80),
    ];

    private readonly FakeIptables _fake = new();

    private static NetworkFirewallSpec Spec(string bridge, string v4, string? v6 = null) =>
        new("n-" + bridge, bridge, [v4], v6 is null ? [] : [v6], Internal: false, EnableIcc: true, EnableMasquerade: true, HostBindingIPv4: "");

    private IptablesFirewall Firewall(bool hairpin = false) =>
        new(_fake.Run, NullLogger<IptablesFirewall>.Instance) { Hairpin = hairpin };

    [Fact]
    public void Docker0_then_a_user_network_render_what_dockerd_made_and_removal_restores_the_base()
    {
        var firewall = Firewall();
        firewall.Initialize();
        firewall.AddNetwork(Docker0);

        firewall.AddPortMappings(Docker0, Pref1);
        Assert.Equal(Golden.Read("20-ports-pref1.v4.golden"), _fake.Save());
        // The [::] twins target an IPv4 address: the proxy alone serves them, ip6tables is never written.
        Assert.DoesNotContain("ip6tables-restore", _fake.Runs);

        firewall.AddNetwork(UserNet);
        firewall.AddPortMappings(UserNet, Pref2);
        Assert.Equal(Golden.Read("21-ports-usernet.v4.golden"), _fake.Save());

        // `docker rm -f pref1 pref2; docker network rm` gave back the start-up capture.
        firewall.RemovePortMappings(Docker0, Pref1);
        firewall.RemovePortMappings(UserNet, Pref2);
        firewall.RemoveNetwork(UserNet);
        Assert.Equal(Golden.Read("00-default.v4.golden"), _fake.Save());
    }

    [Fact]
    public void Hairpin_mode_renders_what_dockerd_made_with_userland_proxy_false_in_both_families()
    {
        var firewall = Firewall(hairpin: true);
        firewall.Initialize();
        firewall.AddNetwork(Docker0Dual);
        Assert.Equal(Golden.Read("25-hairpin-base.v4.golden"), _fake.Save());
        Assert.Equal(Golden.Read("25-hairpin-base.v6.golden"), _fake.Save("ip6tables"));

        firewall.AddPortMappings(Docker0Dual, HairpinPref1);
        Assert.Equal(Golden.Read("23-ports-hairpin.v4.golden"), _fake.Save());
        Assert.Equal(Golden.Read("23-ports-hairpin.v6.golden"), _fake.Save("ip6tables"));

        firewall.AddNetwork(HairpinUserNet);
        firewall.AddPortMappings(HairpinUserNet, HairpinPref2);
        Assert.Equal(Golden.Read("24-ports-hairpin-usernet.v4.golden"), _fake.Save());

        firewall.RemovePortMappings(Docker0Dual, HairpinPref1);
        firewall.RemovePortMappings(HairpinUserNet, HairpinPref2);
        firewall.RemoveNetwork(HairpinUserNet);
        Assert.Equal(Golden.Read("25-hairpin-base.v4.golden"), _fake.Save());
        Assert.Equal(Golden.Read("25-hairpin-base.v6.golden"), _fake.Save("ip6tables"));
    }

    [Fact]
    public void One_batch_is_one_restore_per_family()
    {
        var firewall = Firewall(hairpin: true);
        firewall.Initialize();
        firewall.AddNetwork(Docker0Dual);
        _fake.Runs.Clear();

        firewall.AddPortMappings(Docker0Dual, HairpinPref1);
        Assert.Equal(["iptables-restore", "ip6tables-restore"], _fake.Runs);
        _fake.Runs.Clear();
        firewall.RemovePortMappings(Docker0Dual, HairpinPref1);
        Assert.Equal(["iptables-restore", "ip6tables-restore"], _fake.Runs);
    }

    [Fact]
    public void Two_host_ports_to_one_container_port_keep_two_copies_and_removing_one_keeps_the_other()
    {
        var firewall = Firewall();
        firewall.Initialize();
        firewall.AddNetwork(Docker0);
        PortMapping a = new("tcp", "0.0.0.0", 8080, "172.17.0.2", 80), b = new("tcp", "0.0.0.0", 8081, "172.17.0.2", 80);
        var accept = new IptablesRule("filter", "DOCKER", "-d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT");

        firewall.AddPortMappings(Docker0, [a, b]);
        Assert.Equal(2, Ruleset().Count(accept));

        firewall.RemovePortMappings(Docker0, [a]);
        Assert.Equal(1, Ruleset().Count(accept));
        Assert.DoesNotContain("--dport 8080 -j DNAT", _fake.Save());
        Assert.Contains("--dport 8081 -j DNAT", _fake.Save());

        firewall.RemovePortMappings(Docker0, [b]);
        Assert.Equal(0, Ruleset().Count(accept));
    }

    [Fact]
    public void Publishing_the_same_mappings_again_changes_nothing()
    {
        var firewall = Firewall();
        firewall.Initialize();
        firewall.AddNetwork(Docker0);
        firewall.AddPortMappings(Docker0, Pref1);
        var before = _fake.Save();
        _fake.Runs.Clear();

        firewall.AddPortMappings(Docker0, Pref1);

        Assert.Equal(before, _fake.Save());
        Assert.DoesNotContain("iptables-restore", _fake.Runs);
    }

    [Fact]
    public void A_restarted_daemon_keeps_port_rules_through_Reconcile_and_takes_them_over_when_republishing()
    {
        var old = Firewall();
        old.Initialize();
        old.AddNetwork(Docker0);
        old.AddPortMappings(Docker0, Pref1);
        var published = _fake.Save();

        // New process: fresh model, no owners; Reconcile of the known networks leaves port rules to their owner.
        var restarted = Firewall();
        restarted.Initialize();
        restarted.Reconcile([Docker0]);
        Assert.Equal(published, _fake.Save());

        // Re-publishing the adopted container is a no-op; its unpublish then removes exactly its rules.
        restarted.AddPortMappings(Docker0, Pref1);
        Assert.Equal(published, _fake.Save());
        restarted.RemovePortMappings(Docker0, Pref1);
        Assert.Equal(Golden.Read("00-default.v4.golden"), _fake.Save());
    }

    [Fact]
    public void Unpublish_after_a_restart_without_republishing_still_removes_the_rules()
    {
        var old = Firewall();
        old.Initialize();
        old.AddNetwork(Docker0);
        old.AddPortMappings(Docker0, Pref1);

        var restarted = Firewall();
        restarted.RemovePortMappings(Docker0, Pref1);

        Assert.Equal(Golden.Read("00-default.v4.golden"), _fake.Save());
    }

    [Fact]
    public void Switching_to_hairpin_replaces_the_output_jump_and_the_old_DNAT_spelling_is_removed_on_unpublish()
    {
        var proxy = Firewall();
        proxy.Initialize();
        proxy.AddNetwork(Docker0);
        proxy.AddPortMappings(Docker0, Pref1);

        var hairpin = Firewall(hairpin: true);
        hairpin.Initialize();
        hairpin.Reconcile([Docker0]);
        var save = _fake.Save();
        Assert.Contains("-A OUTPUT -m addrtype --dst-type LOCAL -j DOCKER\n", save);
        Assert.DoesNotContain("! -d 127.0.0.0/8", save);
        Assert.DoesNotContain("-A DOCKER -i docker0 -j RETURN", save);
        Assert.Contains("-A POSTROUTING -o docker0 -m addrtype --src-type LOCAL -j MASQUERADE", save);

        hairpin.RemovePortMappings(Docker0, Pref1);
        Assert.DoesNotContain("DNAT", _fake.Save());
        Assert.DoesNotContain("--dport 80 -j", _fake.Save());
    }

    [Fact]
    public void Port_rules_are_never_taken_for_network_rules()
    {
        var rules = new[] { false, true }.SelectMany(h => Pref1.Concat(HairpinPref1).SelectMany(m =>
            DockerIptablesRules.ForPortMapping("docker0", m, h, ipv6: false).Concat(DockerIptablesRules.ForPortMapping("docker0", m, h, ipv6: true)))).ToList();

        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.True(DockerIptablesRules.IsPortRule(r), r.ToString()));
        Assert.All(rules, r => Assert.False(DockerIptablesRules.TryGetBridge(r, out _), r.ToString()));
        var networkRules = DockerIptablesRules.ForNetwork(Docker0, ipv6: false).Concat(DockerIptablesRules.ForNetwork(Docker0, ipv6: false, hairpin: true));
        Assert.All(networkRules, c => Assert.False(DockerIptablesRules.IsPortRule(c.Rule), c.Rule.ToString()));
    }

    [Fact]
    public void Sctp_gets_the_same_shapes()
    {
        var rules = DockerIptablesRules.ForPortMapping("docker0", new("sctp", "0.0.0.0", 7000, "172.17.0.2", 7000), hairpin: false, ipv6: false);

        Assert.Equal(
        [
            "-t nat -A DOCKER ! -i docker0 -p sctp -m sctp --dport 7000 -j DNAT --to-destination 172.17.0.2:7000",
            "-t filter -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p sctp -m sctp --dport 7000 -j ACCEPT",
            "-t nat -A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p sctp -m sctp --dport 7000 -j MASQUERADE",
        ], rules.Select(r => r.ToString()));
    }

    [Fact]
    public void Bad_input_is_rejected_before_anything_runs()
    {
        var firewall = Firewall();
        firewall.Initialize();
        _fake.Runs.Clear();

        Assert.Throws<NetPortalException>(() => firewall.AddPortMappings(Docker0, [new("tcp", "0.0.0.0", 8080, "172.17.0.2 -j ACCEPT", 80)]));
        Assert.Throws<NetPortalException>(() => firewall.AddPortMappings(Docker0, [new("icmp", "0.0.0.0", 8080, "172.17.0.2", 80)]));
        Assert.Throws<NetPortalException>(() => firewall.AddPortMappings(Docker0, [new("tcp", "0.0.0.0", 0, "172.17.0.2", 80)]));
        Assert.Throws<NetPortalException>(() => firewall.AddPortMappings(Docker0 with { BridgeName = "docker0 -j" }, Pref1));
        Assert.Empty(_fake.Runs);
    }

    private IptablesRuleset Ruleset() => IptablesRuleset.Parse(_fake.Save());
}
