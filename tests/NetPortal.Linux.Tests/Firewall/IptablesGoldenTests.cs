using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;
using NetPortal.Linux.Firewall;
using static NetPortal.Linux.Tests.Firewall.FirewallScenarios;

namespace NetPortal.Linux.Tests.Firewall;

/// <summary>Rules as data against iptables-save captured from dockerd 20.10, through an in-memory iptables.</summary>
public sealed class IptablesGoldenTests
{
    private readonly FakeIptables _fake = new();
    private readonly IptablesFirewall _firewall;

    public IptablesGoldenTests() => _firewall = new IptablesFirewall(_fake.Run, NullLogger<IptablesFirewall>.Instance);

    [Fact]
    public void Each_step_renders_what_dockerd_made()
    {
        _firewall.Initialize();
        foreach (var (step, network, golden) in V4)
        {
            Apply(_firewall, step, network);
            if (golden != "")
            {
                Assert.Equal(Golden.Read(golden + ".v4.golden"), _fake.Save());
            }
        }
    }

    [Fact]
    public void Dual_stack_networks_get_the_same_rules_in_ip6tables()
    {
        _firewall.Initialize();
        foreach (var (step, network, golden) in Dual6)
        {
            Apply(_firewall, step, network);
            if (golden != "")
            {
                Assert.Equal(Golden.Read(golden + ".v4.golden"), _fake.Save());
                Assert.Equal(Golden.Read(golden + ".v6.golden"), _fake.Save("ip6tables"));
            }
        }
    }

    [Theory]
    [InlineData("docker0")]
    [InlineData("br-000000000001")]
    [InlineData("br-000000000002")]
    [InlineData("br-000000000003")]
    [InlineData("br-000000000004")]
    [InlineData("br-000000000006")]
    [InlineData("br-000000000007")]
    public void One_network_is_the_rules_naming_its_bridge_in_the_capture(string bridge)
    {
        var network = V4.Select(s => s.Network).First(n => n.BridgeName == bridge);
        var captured = IptablesRuleset.Parse(Golden.Read("06-noicc-nomasq.v4.golden")).AllRules()
            .Where(r => r.Spec.Split(' ').Contains(bridge)).Select(r => r.ToString()).Order();

        var rendered = DockerIptablesRules.ForNetwork(network, ipv6: false)
            .Where(c => c.Action != IptablesAction.Delete).Select(c => c.Rule.ToString()).Order();

        Assert.Equal(captured, rendered);
    }

    [Fact]
    public void Base_chains_are_the_capture_without_docker0()
    {
        _firewall.Initialize();

        var expected = string.Join('\n', Golden.Read("00-default.v4.golden").Split('\n').Where(l => !l.Contains("docker0")));
        Assert.Equal(expected, _fake.Save());
    }

    [Fact]
    public void After_the_first_read_each_call_is_one_restore_per_family()
    {
        _firewall.Initialize();
        Assert.Equal(["iptables-save", "iptables-restore", "ip6tables-save"], _fake.Runs);
        _fake.Runs.Clear();

        _firewall.AddNetwork(MyBridge);
        Assert.Equal(["iptables-restore"], _fake.Runs);

        _fake.Runs.Clear();
        _firewall.AddNetwork(Dual);
        Assert.Equal(["iptables-restore", "ip6tables-restore"], _fake.Runs);

        _fake.Runs.Clear();
        _firewall.RemoveNetwork(Dual);
        Assert.Equal(["iptables-restore", "ip6tables-restore"], _fake.Runs);
    }

    [Fact]
    public void Initialize_twice_changes_nothing_the_second_time()
    {
        _firewall.Initialize();
        var before = _fake.Save();
        _fake.Runs.Clear();

        _firewall.Initialize();

        Assert.DoesNotContain("iptables-restore", _fake.Runs);
        Assert.Equal(before, _fake.Save());
    }

    [Fact]
    public void Adding_a_network_twice_adds_nothing_the_second_time()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(Docker0);
        _firewall.AddNetwork(MyBridge);
        var before = _fake.Save();

        _firewall.AddNetwork(MyBridge);

        Assert.Equal(before, _fake.Save());
    }

    [Fact]
    public void Turning_icc_off_replaces_the_accept_rule()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(MyBridge);

        _firewall.AddNetwork(MyBridge with { EnableIcc = false });

        var save = _fake.Save();
        Assert.DoesNotContain("-A FORWARD -i br-000000000001 -o br-000000000001 -j ACCEPT", save);
        Assert.Contains("-A FORWARD -i br-000000000001 -o br-000000000001 -j DROP", save);
    }

    [Fact]
    public void Reconcile_from_scratch_equals_creating_in_order()
    {
        _firewall.Initialize();

        var changes = _firewall.Reconcile([Docker0, MyBridge]);

        Assert.NotEmpty(changes);
        Assert.Equal(Golden.Read("01-mybridge.v4.golden"), _fake.Save());
        Assert.Empty(_firewall.Reconcile([Docker0, MyBridge]));
    }

    [Fact]
    public void Reconcile_removes_rules_of_unknown_networks_and_keeps_foreign_rules()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(Docker0);
        _firewall.AddNetwork(MyBridge);
        _firewall.AddNetwork(NoIcc);
        _fake.Run("iptables-restore", ["--noflush"], """
            *filter
            -A DOCKER-USER -s 10.9.9.9 -j DROP
            -A FORWARD -i eth0 ! -o eth0 -j ACCEPT
            -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
            COMMIT

            """).EnsureSuccess("seed");

        var changes = _firewall.Reconcile([Docker0, NoIcc]);

        Assert.All(changes, c => Assert.Contains("br-000000000001", c));
        var save = _fake.Save();
        Assert.DoesNotContain("br-000000000001", save);
        Assert.Contains("-A FORWARD -i br-000000000003 -o br-000000000003 -j DROP", save);
        Assert.Contains("-A DOCKER-USER -s 10.9.9.9 -j DROP", save);
        Assert.Contains("-A FORWARD -i eth0 ! -o eth0 -j ACCEPT", save);
        Assert.Contains("--dport 80 -j ACCEPT", save);
        Assert.Empty(_firewall.Reconcile([Docker0, NoIcc]));
    }

    [Fact]
    public void Reconcile_drops_ip6tables_rules_of_networks_that_lost_IPv6()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(Dual);

        _firewall.Reconcile([Dual with { SubnetsV6 = [] }]);

        Assert.DoesNotContain("br-000000000011", _fake.Save("ip6tables"));
        Assert.Contains("br-000000000011", _fake.Save());
    }

    [Fact]
    public void Removing_rules_that_are_already_gone_is_not_an_error()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(MyBridge);
        _firewall.RemoveNetwork(MyBridge);

        _firewall.RemoveNetwork(MyBridge);

        Assert.DoesNotContain("br-000000000001", _fake.Save());
    }

    [Fact]
    public void A_bad_bridge_name_is_rejected_before_anything_runs()
    {
        var e = Assert.Throws<NetPortalException>(() => _firewall.AddNetwork(MyBridge with { BridgeName = "br-1 -j ACCEPT" }));

        Assert.Equal(ErrorKind.InvalidParameter, e.Kind);
        Assert.Empty(_fake.Runs);
    }

    [Fact]
    public void A_bad_subnet_is_rejected_before_anything_runs()
    {
        var e = Assert.Throws<NetPortalException>(() => _firewall.AddNetwork(MyBridge with { SubnetsV4 = ["fd00::/64"] }));

        Assert.Equal(ErrorKind.InvalidParameter, e.Kind);
        Assert.Empty(_fake.Runs);
    }

    [Fact]
    public void Subnets_are_written_as_iptables_prints_them()
    {
        Assert.Equal("10.1.1.0/24", DockerIptablesRules.NormalizeSubnet("10.1.1.7/24", ipv6: false));
        Assert.Equal("fd00:1::/64", DockerIptablesRules.NormalizeSubnet("fd00:1:0:0::5/64", ipv6: true));
    }

    [Fact]
    public void A_failing_restore_is_planned_again_once_then_reported()
    {
        var runs = new List<string>();
        var firewall = new IptablesFirewall(
            (file, _, _) =>
            {
                runs.Add(file);
                return file.EndsWith("-save", StringComparison.Ordinal) ? new ProcessResult(0, "", "") : new ProcessResult(1, "", "line 2 failed");
            },
            NullLogger<IptablesFirewall>.Instance);

        var e = Assert.Throws<NetPortalException>(() => firewall.AddNetwork(MyBridge));

        Assert.Equal(ErrorKind.Internal, e.Kind);
        Assert.Contains("line 2 failed", e.Message);
        Assert.Equal(["iptables-save", "iptables-restore", "iptables-save", "iptables-restore"], runs);
    }

    [Fact]
    public void NoFirewall_does_nothing()
    {
        IFirewall none = new NoFirewall();

        none.Initialize();
        none.AddNetwork(MyBridge);
        none.RemoveNetwork(MyBridge);

        Assert.Equal("none", none.Name);
        Assert.Empty(none.Reconcile([MyBridge]));
    }
}
