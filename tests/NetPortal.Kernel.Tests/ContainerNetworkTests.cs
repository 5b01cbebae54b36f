namespace NetPortal.Kernel.Tests;

/// <summary>
/// Container sandboxes on bridges: reachability, network connect/disconnect, removal and rejected input, checked in the
/// sandboxes' and the managed namespace's kernel state. Every ping stays between namespaces this daemon made.
/// </summary>
public sealed class ContainerNetworkTests(DaemonProcess daemon) : IClassFixture<DaemonProcess>
{
    private void Run(string name, params string[] args) =>
        daemon.Docker(["run", "-d", "--name", name, .. args, "busybox", "sleep", "300"]).Ok();

    [Fact]
    public void SandboxesReachEachOtherOnTheirNetworkButNotAcrossBridges()
    {
        daemon.Docker("network", "create", "--subnet", "10.41.0.0/24", "reacha").Ok();
        daemon.Docker("network", "create", "--subnet", "10.42.0.0/24", "reachb").Ok();
        Run("reach1", "--network", "reacha");
        Run("reach2", "--network", "reacha");
        Run("reach3", "--network", "reachb");

        var ip2 = daemon.KernelIp("reach2");
        var ip3 = daemon.KernelIp("reach3");
        Assert.StartsWith("10.41.0.", ip2);
        Assert.StartsWith("10.42.0.", ip3);
        Assert.Equal(ip2, daemon.Inspect("reach2", "{{.NetworkSettings.Networks.reacha.IPAddress}}"));
        Assert.Equal(0, daemon.Ping("reach1", ip2));
        Assert.Equal(0, daemon.Ping("reach2", daemon.KernelIp("reach1")));
        // Different bridges: routed through the gateway, but Docker's isolation chains drop the forwarded packets.
        Assert.Contains("default via 10.41.0.1 dev eth0", Shell.Run("nsenter", [$"--net={daemon.SandboxKey("reach1")}", "ip", "route"]).Ok().StdOut);
        var rules = daemon.IptablesSave();
        foreach (var n in new[] { "reacha", "reachb" })
        {
            var bridge = "br-" + daemon.Docker("network", "inspect", "-f", "{{.Id}}", n).Ok().StdOut.Trim()[..12];
            Assert.Contains($"-A DOCKER-ISOLATION-STAGE-1 -i {bridge} ! -o {bridge} -j DOCKER-ISOLATION-STAGE-2", rules);
            Assert.Contains($"-A DOCKER-ISOLATION-STAGE-2 -o {bridge} -j DROP", rules);
        }
        Assert.NotEqual(0, daemon.Ping("reach1", ip3));
        Assert.NotEqual(0, daemon.Ping("reach3", ip2));
    }

    [Fact]
    public void ConnectWithIpAndAliasAddsAnInterfaceAndDisconnectRemovesItAndItsVeth()
    {
        daemon.Docker("network", "create", "--subnet", "10.43.0.0/24", "conna").Ok();
        daemon.Docker("network", "create", "--subnet", "10.44.0.0/24", "connb").Ok();
        Run("conn1", "--network", "conna");
        var key = daemon.SandboxKey("conn1");
        Assert.DoesNotContain(Sandboxes.LinksIn(key), l => l.Name == "eth1");

        daemon.Docker("network", "connect", "--ip", "10.44.0.50", "--alias", "web", "connb", "conn1").Ok();
        var eth1 = Sandboxes.LinksIn(key).Single(l => l.Name == "eth1");
        Assert.Equal(["10.44.0.50"], eth1.IPv4);
        var hostVeth = daemon.HostVethOf("conn1", "eth1");
        // The host side is enslaved to connb's bridge.
        var bridgeId = daemon.Docker("network", "inspect", "-f", "{{.Id}}", "connb").Ok().StdOut.Trim();
        var master = daemon.IpJson("link", "show", "dev", hostVeth).EnumerateArray().Single().GetProperty("master").GetString();
        Assert.Equal("br-" + bridgeId[..12], master);
        Assert.Equal("[web] 10.44.0.50", daemon.Inspect("conn1", "{{.NetworkSettings.Networks.connb.Aliases}} {{.NetworkSettings.Networks.connb.IPAddress}}"));
        Assert.Equal(0, daemon.Docker("exec", "conn1", "ping", "-c1", "-W2", "10.44.0.1").ExitCode);

        daemon.Docker("network", "disconnect", "connb", "conn1").Ok();
        var links = Sandboxes.LinksIn(key);
        Assert.DoesNotContain(links, l => l.Name == "eth1");
        Assert.Contains(links, l => l.Name == "eth0");
        Assert.DoesNotContain(hostVeth, daemon.Veths().Values);
        Assert.Equal("<no value>", daemon.Inspect("conn1", "{{.NetworkSettings.Networks.connb}}"));
    }

    [Fact]
    public void RemoveForceLeavesNoVethNetnsMountOrAddress()
    {
        daemon.Docker("network", "create", "--subnet", "10.45.0.0/24", "rmnet").Ok();
        Run("rm1", "--network", "rmnet", "--ip", "10.45.0.77");
        var id = daemon.Inspect("rm1", "{{.Id}}");
        var key = daemon.SandboxKey("rm1");
        var veth = daemon.HostVethOf("rm1");
        Assert.Equal(["10.45.0.77"], Sandboxes.LinksIn(key).Single(l => l.Name == "eth0").IPv4);
        Assert.True(File.Exists(key));
        Assert.NotEmpty(Sandboxes.MountsMentioning(id[..12]));

        daemon.Docker("rm", "-f", "rm1").Ok();
        Assert.DoesNotContain(veth, daemon.Veths().Values);
        Assert.False(File.Exists(key), key);
        Assert.Empty(Sandboxes.MountsMentioning(id[..12]));
        Assert.Empty(daemon.Docker("ps", "-aq", "--filter", "name=^/rm1$").Lines());

        // The address was given back: the same static IP is accepted again and lands in the kernel.
        Run("rm2", "--network", "rmnet", "--ip", "10.45.0.77");
        Assert.Equal("10.45.0.77", daemon.KernelIp("rm2"));
        Assert.Equal("true", daemon.Inspect("rm2", "{{.State.Running}}"));
    }

    [Fact]
    public void BadInputLeavesNothingHalfMade()
    {
        daemon.Docker("network", "create", "--subnet", "10.46.0.0/24", "bada").Ok();
        daemon.Docker("network", "create", "--subnet", "10.47.0.0/24", "badb").Ok();
        Run("bad1", "--network", "bada");
        var key = daemon.SandboxKey("bad1");
        var veths = daemon.Veths().Values.Order().ToList();

        var r = daemon.Docker("network", "connect", "--ip", "10.250.0.5", "badb", "bad1");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Error response from daemon: invalid endpoint settings:\nno configured subnet or ip-range contain the IP address 10.250.0.5", r.StdErr);
        Assert.DoesNotContain(Sandboxes.LinksIn(key), l => l.Name == "eth1");
        Assert.Equal(veths, daemon.Veths().Values.Order().ToList());
        Assert.Equal("<no value>", daemon.Inspect("bad1", "{{.NetworkSettings.Networks.badb}}"));

        r = daemon.Docker("network", "connect", "bada", "bad1");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("endpoint with name bad1 already exists in network bada", r.StdErr);
        Assert.Equal(["eth0", "lo"], Sandboxes.LinksIn(key).Select(l => l.Name).Order().ToList());
        Assert.Equal(veths, daemon.Veths().Values.Order().ToList());

        r = daemon.Docker("run", "-d", "--name", "bad2", "--ip", "172.17.0.50", "busybox", "sleep", "300");
        Assert.Equal(125, r.ExitCode);
        Assert.Contains("user specified IP address is supported on user defined networks only", r.StdErr);
        Assert.Empty(daemon.Docker("ps", "-aq", "--filter", "name=^/bad2$").Lines());
        Assert.Equal(veths, daemon.Veths().Values.Order().ToList());

        r = daemon.Docker("create", "--name", "nocmd", "busybox");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("No command specified", r.StdErr);
        Assert.Empty(daemon.Docker("ps", "-aq", "--filter", "name=^/nocmd$").Lines());
        Assert.Equal(veths, daemon.Veths().Values.Order().ToList());
    }
}
