using System.Text.Json;

namespace NetPortal.Kernel.Tests;

/// <summary>docker network create/rm through a real daemon, checked against the managed namespace's kernel state.</summary>
public sealed class BridgeNetworkTests(DaemonProcess daemon) : IClassFixture<DaemonProcess>
{
    private static JsonElement? Link(DaemonProcess d, string name) =>
        d.IpJson("-d", "link", "show").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(l => l!.Value.GetProperty("ifname").GetString() == name);

    private static List<string> Addresses(DaemonProcess d, string dev) =>
        d.IpJson("addr", "show", "dev", dev).EnumerateArray()
            .SelectMany(l => l.GetProperty("addr_info").EnumerateArray())
            .Where(a => a.GetProperty("scope").GetString() != "link")
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}")
            .ToList();

    [Fact]
    public void CreateMakesBridgeWithGatewayAndRulesAndRemoveUndoesThem()
    {
        var id = daemon.Docker("network", "create", "--subnet", "10.1.1.0/24", "--gateway", "10.1.1.1", "mybridge").Ok().StdOut.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);
        var bridge = "br-" + id[..12];

        var link = Link(daemon, bridge);
        Assert.NotNull(link);
        Assert.Equal("bridge", link!.Value.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Contains("UP", link.Value.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["10.1.1.1/24"], Addresses(daemon, bridge));
        var rules = daemon.IptablesSave();
        Assert.Contains($"-A POSTROUTING -s 10.1.1.0/24 ! -o {bridge} -j MASQUERADE", rules);
        Assert.Contains($"-A FORWARD -o {bridge} -j DOCKER", rules);
        Assert.Contains($"-A DOCKER-ISOLATION-STAGE-1 -i {bridge} ! -o {bridge} -j DOCKER-ISOLATION-STAGE-2", rules);

        // Nothing of ours in the machine's own namespace: no link, no address, no firewall rule.
        Assert.DoesNotContain(bridge, Shell.Run("ip", ["-j", "link", "show"]).Ok().StdOut);
        Assert.DoesNotContain("10.1.1.1", Shell.Run("ip", ["-j", "addr", "show"]).Ok().StdOut);
        var rootRules = Shell.Run("iptables-save", []).Ok().StdOut;
        Assert.DoesNotContain("DOCKER", rootRules);
        Assert.DoesNotContain(bridge, rootRules);

        Assert.Equal("mybridge", daemon.Docker("network", "rm", "mybridge").Ok().StdOut.Trim());
        Assert.Null(Link(daemon, bridge));
        Assert.DoesNotContain(bridge, daemon.IptablesSave());
        Assert.DoesNotContain("10.1.1.0/24", daemon.IptablesSave());
    }

    [Fact]
    public void DefaultBridgeIsDocker0WithDockersAddress()
    {
        Assert.Equal(["172.17.0.1/16"], Addresses(daemon, "docker0"));
        Assert.Contains("-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE", daemon.IptablesSave());
        Assert.Equal("1", Shell.Run("ip", ["netns", "exec", daemon.Netns, "cat", "/proc/sys/net/ipv4/ip_forward"]).Ok().StdOut.Trim());
        // As dockerd: having turned forwarding on, it closes the FORWARD policy.
        Assert.Contains(":FORWARD DROP", daemon.IptablesSave());
    }

    [Fact]
    public void BridgeNameAndMtuOptionsAreApplied()
    {
        daemon.Docker("network", "create", "-o", "com.docker.network.bridge.name=npbr0", "-o", "com.docker.network.driver.mtu=1400", "named").Ok();
        try
        {
            var link = Link(daemon, "npbr0");
            Assert.NotNull(link);
            Assert.Equal(1400, link!.Value.GetProperty("mtu").GetInt32());
        }
        finally
        {
            daemon.Docker("network", "rm", "named").Ok();
        }
        Assert.Null(Link(daemon, "npbr0"));
    }

    [Fact]
    public void InternalAndNoMasqueradeNetworksGetNoMasquerade()
    {
        daemon.Docker("network", "create", "--internal", "--subnet", "10.7.1.0/24", "internal1").Ok();
        daemon.Docker("network", "create", "-o", "com.docker.network.bridge.enable_ip_masquerade=false", "--subnet", "10.7.2.0/24", "nomasq").Ok();
        try
        {
            var rules = daemon.IptablesSave();
            Assert.DoesNotContain("-s 10.7.1.0/24 ! -o", rules);
            Assert.DoesNotContain("-s 10.7.2.0/24 ! -o", rules);
            Assert.Contains("! -s 10.7.1.0/24 -o", rules);
        }
        finally
        {
            daemon.Docker("network", "rm", "internal1", "nomasq").Ok();
        }
    }

    [Fact]
    public void UserRuleInDockerUserSurvivesNetworkChanges()
    {
        Shell.Run("ip", ["netns", "exec", daemon.Netns, "iptables", "-I", "DOCKER-USER", "-s", "10.99.99.99", "-j", "DROP"]).Ok();
        try
        {
            daemon.Docker("network", "create", "--subnet", "10.8.0.0/24", "usertest").Ok();
            daemon.Docker("network", "rm", "usertest").Ok();
            var rules = daemon.IptablesSave();
            Assert.Contains("-A DOCKER-USER -s 10.99.99.99/32 -j DROP", rules);
            var forward = rules.Split('\n').Where(l => l.StartsWith("-A FORWARD ", StringComparison.Ordinal)).ToList();
            Assert.Equal("-A FORWARD -j DOCKER-USER", forward[0]);
        }
        finally
        {
            Shell.Run("ip", ["netns", "exec", daemon.Netns, "iptables", "-D", "DOCKER-USER", "-s", "10.99.99.99", "-j", "DROP"]);
        }
    }

    [Fact]
    public void BadInputLeavesNothingInTheKernel()
    {
        var before = daemon.IpJson("link", "show").GetArrayLength();
        var r = daemon.Docker("network", "create", "--subnet", "10.9.0.1/24", "bad");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Error response from daemon: invalid network config:", r.StdErr);
        Assert.Contains("invalid subnet 10.9.0.1/24: it should be 10.9.0.0/24", r.StdErr);
        r = daemon.Docker("network", "create", "-o", "com.docker.network.bridge.enable_icc=maybe", "bad2");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(before, daemon.IpJson("link", "show").GetArrayLength());
        Assert.DoesNotContain("bad", daemon.Docker("network", "ls", "--format", "{{.Name}}").Ok().StdOut.Split('\n'));
    }
}
