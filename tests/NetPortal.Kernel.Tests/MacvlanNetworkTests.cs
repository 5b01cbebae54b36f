using System.Text.Json;

namespace NetPortal.Kernel.Tests;

/// <summary>
/// macvlan/ipvlan against the real kernel and a real daemon: the parent is one end of a veth pair in the managed
/// namespace, the other end sits in a "test host" namespace this class creates (10.77.0.100), so all traffic stays
/// inside namespaces made here. This kernel has macvlan but no ipvlan, 8021q or dummy.
/// </summary>
public sealed class MacvlanNetworkTests(DaemonProcess daemon) : IClassFixture<DaemonProcess>, IDisposable
{
    private readonly string _hostNs = "nptest-mv-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _parent = "mvp" + Guid.NewGuid().ToString("N")[..8];
    private bool _wired;

    /// <summary>The veth: <see cref="_parent"/> in the managed namespace (up, no address), its peer "uplink" in the test host.</summary>
    private void Wire(string hostAddress = "10.77.0.100/24")
    {
        Shell.Run("ip", ["netns", "add", _hostNs]).Ok();
        _wired = true;
        Shell.Run("ip", ["-n", daemon.Netns, "link", "add", _parent, "type", "veth", "peer", "name", "uplink", "netns", _hostNs]).Ok();
        Shell.Run("ip", ["-n", daemon.Netns, "link", "set", _parent, "up"]).Ok();
        Shell.Run("ip", ["-n", _hostNs, "link", "set", "uplink", "up"]).Ok();
        Shell.Run("ip", ["-n", _hostNs, "addr", "add", hostAddress, "dev", "uplink"]).Ok();
        Shell.Run("ip", ["-n", _hostNs, "link", "set", "lo", "up"]).Ok();
    }

    public void Dispose()
    {
        Shell.Run("ip", ["-n", daemon.Netns, "link", "del", _parent]);
        if (_wired) Shell.Run("ip", ["netns", "del", _hostNs]);
    }

    private void Run(string name, string network) =>
        daemon.Docker("run", "-d", "--network", network, "--name", name, "busybox", "sleep", "300").Ok();

    private List<string> ManagedLinks() =>
        daemon.IpJson("link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()!).Order().ToList();

    [Fact]
    public void ContainersReachEachOtherAndTheHostBehindTheParent()
    {
        Wire();
        daemon.Docker("network", "create", "-d", "macvlan", "--subnet", "10.77.0.0/24", "--gateway", "10.77.0.1", "-o", $"parent={_parent}", "mv1").Ok();
        Run("m1", "mv1");
        Run("m2", "mv1");

        Assert.Equal("10.77.0.2", daemon.KernelIp("m1"));
        Assert.Equal("10.77.0.3", daemon.KernelIp("m2"));
        var eth0 = daemon.Docker("exec", "m1", "ip", "-d", "link", "show", "eth0").Ok().StdOut;
        Assert.Contains("macvlan", eth0);
        Assert.Contains("02:42:0a:4d:00:02", eth0);
        Assert.Contains("default via 10.77.0.1 dev eth0", daemon.Docker("exec", "m1", "ip", "route").Ok().StdOut);
        Assert.Equal(0, daemon.Ping("m1", "10.77.0.3"));
        Assert.Equal(0, daemon.Ping("m2", "10.77.0.100"));
        Assert.Equal(0, Shell.Run("ip", ["netns", "exec", _hostNs, "ping", "-c1", "-W2", "10.77.0.2"]).ExitCode);

        // What dockerd 20.10 answers for the same command (captured from the reference daemon), Id/Created aside.
        var n = JsonDocument.Parse(daemon.Docker("network", "inspect", "mv1").Ok().StdOut).RootElement[0];
        Assert.Equal("macvlan", n.GetProperty("Driver").GetString());
        Assert.Equal("local", n.GetProperty("Scope").GetString());
        Assert.False(n.GetProperty("EnableIPv6").GetBoolean());
        Assert.False(n.GetProperty("Internal").GetBoolean());
        Assert.Equal("default", n.GetProperty("IPAM").GetProperty("Driver").GetString());
        Assert.Equal("""[{"Subnet":"10.77.0.0/24","Gateway":"10.77.0.1"}]""", n.GetProperty("IPAM").GetProperty("Config").GetRawText().Replace(" ", "").Replace("\n", ""));
        Assert.Equal($$"""{"parent":"{{_parent}}"}""", n.GetProperty("Options").GetRawText().Replace(" ", "").Replace("\n", ""));
        var c = n.GetProperty("Containers").EnumerateObject().Select(p => p.Value).Single(v => v.GetProperty("Name").GetString() == "m1");
        Assert.Equal("02:42:0a:4d:00:02", c.GetProperty("MacAddress").GetString());
        Assert.Equal("10.77.0.2/24", c.GetProperty("IPv4Address").GetString());
        Assert.Equal("", c.GetProperty("IPv6Address").GetString());

        // Docker 20.10: one network per parent.
        var second = daemon.Docker("network", "create", "-d", "macvlan", "--subnet", "10.78.0.0/24", "-o", $"parent={_parent}", "mv1b");
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains($"is already using parent interface {_parent}", second.StdErr);

        daemon.Docker("rm", "-f", "m1", "m2").Ok();
        daemon.Docker("network", "rm", "mv1").Ok();
        Assert.Contains(_parent, ManagedLinks());
    }

    [Fact]
    public void HostShimLetsTheManagedNamespaceReachContainers()
    {
        Wire("10.79.0.100/24");
        daemon.Docker("network", "create", "-d", "macvlan", "--subnet", "10.79.0.0/24", "-o", $"parent={_parent}", "-o", "netportal.macvlan.host_shim=true", "mvshim").Ok();
        var id = daemon.Docker("network", "inspect", "-f", "{{.Id}}", "mvshim").Ok().StdOut.Trim();
        var shim = "npshim" + id[..9];
        Assert.Contains(shim, ManagedLinks());
        Run("s1", "mvshim");
        var ip = daemon.KernelIp("s1");
        Assert.Equal(0, Shell.Run("ip", ["netns", "exec", daemon.Netns, "ping", "-c1", "-W2", ip]).ExitCode);
        // The shim's address (last usable) is reserved: the next container does not get it.
        Assert.Contains("10.79.0.254/24", Shell.Run("ip", ["-n", daemon.Netns, "-o", "addr", "show", "dev", shim]).Ok().StdOut);

        daemon.Docker("rm", "-f", "s1").Ok();
        daemon.Docker("network", "rm", "mvshim").Ok();
        Assert.DoesNotContain(shim, ManagedLinks());
    }

    [Fact]
    public void MissingKernelSupportIsNamedAndLeavesNothing()
    {
        Wire();
        var before = ManagedLinks();

        var vlan = daemon.Docker("network", "create", "-d", "macvlan", "--subnet", "10.81.0.0/24", "-o", $"parent={_parent}.10", "mvvlan");
        Assert.NotEqual(0, vlan.ExitCode);
        Assert.Contains($"failed to create {_parent}.10 vlan link: operation not supported", vlan.StdErr);
        Assert.Contains("8021q", vlan.StdErr);

        var dummy = daemon.Docker("network", "create", "-d", "macvlan", "--subnet", "10.82.0.0/24", "mvnoparent");
        Assert.NotEqual(0, dummy.ExitCode);
        Assert.Contains("needs the kernel's dummy link type, which this kernel lacks", dummy.StdErr);

        var ipvlan = daemon.Docker("network", "create", "-d", "ipvlan", "--subnet", "10.83.0.0/24", "-o", $"parent={_parent}", "ipv1");
        Assert.NotEqual(0, ipvlan.ExitCode);
        Assert.Contains("this kernel lacks the ipvlan link type", ipvlan.StdErr);

        var mode = daemon.Docker("network", "create", "-d", "macvlan", "-o", "macvlan_mode=foo", "-o", $"parent={_parent}", "mvmode");
        Assert.Contains("requested macvlan mode 'foo' is not valid, 'bridge' mode is the macvlan driver default", mode.StdErr);
        var lo = daemon.Docker("network", "create", "-d", "macvlan", "-o", "parent=lo", "mvlo");
        Assert.Contains("loopback interface is not a valid macvlan parent link", lo.StdErr);

        Assert.Equal(before, ManagedLinks());
        var names = daemon.Docker("network", "ls", "--format", "{{.Name}}").Ok().StdOut;
        foreach (var n in new[] { "mvvlan", "mvnoparent", "ipv1", "mvmode", "mvlo" }) Assert.DoesNotContain(n, names);
    }

    [Fact]
    public void IPv6UserNetworkAndIPv6OnlyNetwork()
    {
        daemon.Docker("network", "create", "--ipv6", "--subnet", "10.84.0.0/24", "--subnet", "fd00:84::/64", "v6net").Ok();
        daemon.Docker("run", "-d", "--network", "v6net", "--ip6", "fd00:84::10", "--name", "v6a", "busybox", "sleep", "300").Ok();
        Run("v6b", "v6net");
        Assert.Contains("fd00:84::10/64", daemon.Docker("exec", "v6a", "ip", "-6", "addr", "show", "eth0").Ok().StdOut);
        var ip6 = daemon.Inspect("v6b", "{{.NetworkSettings.Networks.v6net.GlobalIPv6Address}}");
        Assert.StartsWith("fd00:84::", ip6);
        Assert.Equal(0, daemon.Docker("exec", "v6a", "ping", "-6", "-c1", "-W2", ip6).ExitCode);

        daemon.Docker("network", "create", "--ipv4=false", "--ipv6", "--subnet", "fd00:85::/64", "v6only").Ok();
        Run("v6c", "v6only");
        var addrs = daemon.Docker("exec", "v6c", "ip", "addr", "show", "eth0").Ok().StdOut;
        Assert.DoesNotContain("inet ", addrs);
        Assert.Contains("inet6 fd00:85::", addrs);
    }
}
