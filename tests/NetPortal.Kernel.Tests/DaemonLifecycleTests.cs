namespace NetPortal.Kernel.Tests;

/// <summary>Start-up: records survive a restart, the kernel is reconciled with them, leftovers are removed.</summary>
public sealed class DaemonLifecycleTests
{
    [Fact]
    public async Task RestartKeepsNetworksAndRepairsTheKernel()
    {
        await using var daemon = new DaemonScope();
        var d = daemon.Daemon;
        var id = d.Docker("network", "create", "--subnet", "10.50.0.0/24", "keep").Ok().StdOut.Trim();
        var bridge = "br-" + id[..12];
        Shell.Run("ip", ["netns", "exec", d.Netns, "iptables", "-A", "DOCKER-USER", "-s", "10.98.0.1", "-j", "DROP"]).Ok();
        await d.StopAsync();

        // While the daemon is down: its bridge disappears, and a stray bridge of a network that no record owns appears.
        Shell.Run("ip", ["-n", d.Netns, "link", "del", bridge]).Ok();
        Shell.Run("ip", ["-n", d.Netns, "link", "add", "br-0123456789ab", "type", "bridge"]).Ok();
        Shell.Run("ip", ["netns", "exec", d.Netns, "iptables", "-t", "nat", "-A", "POSTROUTING", "-s", "10.66.0.0/24", "!", "-o", "br-0123456789ab", "-j", "MASQUERADE"]).Ok();

        await d.StartAsync();
        Assert.Equal(id, d.Docker("network", "inspect", "-f", "{{.Id}}", "keep").Ok().StdOut.Trim());
        var links = d.IpJson("link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()).ToList();
        Assert.Contains(bridge, links);
        Assert.DoesNotContain("br-0123456789ab", links);
        var rules = d.IptablesSave();
        Assert.Contains($"-A POSTROUTING -s 10.50.0.0/24 ! -o {bridge} -j MASQUERADE", rules);
        Assert.DoesNotContain("br-0123456789ab", rules);
        Assert.Contains("-A DOCKER-USER -s 10.98.0.1/32 -j DROP", rules);
        Assert.Contains("created missing bridge " + bridge, d.Log);
    }

    [Fact]
    public async Task UnknownConfigKeyStopsTheDaemon()
    {
        var d = new DaemonProcess { ConfigJson = """{"bip":"10.60.0.1/24","colour":"red"}""" };
        var e = await Assert.ThrowsAsync<InvalidOperationException>(d.StartAsync);
        Assert.Contains("the following directives don't match any configuration option: colour", e.Message);
        await d.DisposeAsync();
    }

    [Fact]
    public async Task MalformedConfigStopsTheDaemon()
    {
        var d = new DaemonProcess { ConfigJson = """{"bip": """ };
        var e = await Assert.ThrowsAsync<InvalidOperationException>(d.StartAsync);
        Assert.Contains("unable to configure the NetPortal daemon with file", e.Message);
        await d.DisposeAsync();
    }

    [Fact]
    public async Task ConfigSetsBipMtuAndDefaultPools()
    {
        await using var scope = new DaemonScope("""{"bip":"10.61.0.1/24","mtu":1450,"default-address-pools":[{"base":"10.62.0.0/16","size":24}]}""");
        var d = scope.Daemon;
        var docker0 = d.IpJson("addr", "show", "dev", "docker0").EnumerateArray().Single();
        Assert.Equal(1450, docker0.GetProperty("mtu").GetInt32());
        Assert.Contains(docker0.GetProperty("addr_info").EnumerateArray(), a => a.GetProperty("local").GetString() == "10.61.0.1" && a.GetProperty("prefixlen").GetInt32() == 24);
        d.Docker("network", "create", "auto").Ok();
        Assert.Equal("10.62.0.0/24", d.Docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "auto").Ok().StdOut.Trim());
    }

    [Fact]
    public async Task Ipv6AndFixedCidrV6GiveTheDefaultBridgeIPv6()
    {
        await using var scope = new DaemonScope("""{"ipv6":true,"fixed-cidr-v6":"fd00:abcd::/64"}""");
        var d = scope.Daemon;
        var docker0 = d.IpJson("addr", "show", "dev", "docker0").EnumerateArray().Single();
        Assert.Contains(docker0.GetProperty("addr_info").EnumerateArray(), a => a.GetProperty("local").GetString() == "fd00:abcd::1" && a.GetProperty("prefixlen").GetInt32() == 64);
        Assert.Equal("true", d.Docker("network", "inspect", "-f", "{{.EnableIPv6}}", "bridge").Ok().StdOut.Trim());
        d.Docker("run", "-d", "--name", "v6", "busybox", "sleep", "300").Ok();
        var ip6 = d.Docker("inspect", "-f", "{{.NetworkSettings.GlobalIPv6Address}}", "v6").Ok().StdOut.Trim();
        Assert.StartsWith("fd00:abcd::", ip6);
        Assert.Equal(0, d.Docker("exec", "v6", "ping", "-6", "-c1", "-W2", "fd00:abcd::1").ExitCode);
        Assert.Contains("-A POSTROUTING -s fd00:abcd::/64 ! -o docker0 -j MASQUERADE", Shell.Run("ip", ["netns", "exec", d.Netns, "ip6tables-save"]).Ok().StdOut);
        d.Docker("rm", "-f", "v6").Ok();
    }

    [Fact]
    public async Task ListensOnTcpLoopbackAndSocketIsGroupOnly()
    {
        var port = FreePort();
        await using var scope = new DaemonScope(null, ["-H", $"tcp://127.0.0.1:{port}"]);
        var mode = File.GetUnixFileMode(scope.Daemon.Socket);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, mode);
        var r = Shell.Run("docker", ["network", "ls", "--format", "{{.Name}}"], new Dictionary<string, string> { ["DOCKER_HOST"] = $"tcp://127.0.0.1:{port}", ["DOCKER_CONFIG"] = Path.GetTempPath() + "npk-dc" }).Ok();
        Assert.Equal(["bridge", "host", "none"], r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var p = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return p;
    }

    /// <summary>A daemon started for one test.</summary>
    private sealed class DaemonScope : IAsyncDisposable
    {
        public DaemonProcess Daemon { get; }

        public DaemonScope(string? config = null, string[]? extraArgs = null)
        {
            Daemon = new DaemonProcess { ConfigJson = config, ExtraArgs = extraArgs ?? [] };
            Daemon.StartAsync().GetAwaiter().GetResult();
        }

        public async ValueTask DisposeAsync() => await Daemon.DisposeAsync();
    }
}
