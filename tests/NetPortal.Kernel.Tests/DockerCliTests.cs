namespace NetPortal.Kernel.Tests;

/// <summary>The real docker CLI 28.2 runs network create/ls/inspect/rm/prune with every IPAM flag and filter.</summary>
public sealed class DockerCliTests(DaemonProcess daemon) : IClassFixture<DaemonProcess>
{
    private string[] Names(params string[] filters)
    {
        var args = new List<string> { "network", "ls", "--format", "{{.Name}}" };
        foreach (var f in filters) { args.Add("-f"); args.Add(f); }
        return daemon.Docker([.. args]).Ok().StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void VersionAndInfoWork()
    {
        var v = daemon.Docker("version", "--format", "{{.Server.APIVersion}} {{.Server.MinAPIVersion}}").Ok().StdOut.Trim();
        Assert.Equal("1.50 1.41", v);
        Assert.Contains("Server Version: 0.1.0", daemon.Docker("info").Ok().StdOut);
    }

    [Fact]
    public void CreateWithEveryIpamFlagAndInspect()
    {
        daemon.Docker("network", "create", "--subnet", "10.20.0.0/16", "--ip-range", "10.20.5.0/24", "--gateway", "10.20.0.254",
            "--aux-address", "printer=10.20.0.10", "--ipv6", "--subnet", "fd00:20::/64", "--gateway", "fd00:20::1",
            "--label", "team=net", "--label", "tier=db", "-o", "com.docker.network.bridge.enable_icc=false",
            "--attachable", "full").Ok();
        try
        {
            var f = daemon.Docker("network", "inspect", "full", "-f",
                "{{json .IPAM.Config}}|{{.EnableIPv6}}|{{.Attachable}}|{{.Labels}}|{{index .Options \"com.docker.network.bridge.enable_icc\"}}")
                .Ok().StdOut.Trim();
            Assert.Equal("""[{"Subnet":"10.20.0.0/16","IPRange":"10.20.5.0/24","Gateway":"10.20.0.254","AuxiliaryAddresses":{"printer":"10.20.0.10"}},{"Subnet":"fd00:20::/64","Gateway":"fd00:20::1"}]|true|true|map[team:net tier:db]|false""", f);
            var id = daemon.Docker("network", "inspect", "-f", "{{.Id}}", "full").Ok().StdOut.Trim();
            // inspect by unique id prefix, as the CLI's users do with short ids
            Assert.Equal("full", daemon.Docker("network", "inspect", "-f", "{{.Name}}", id[..12]).Ok().StdOut.Trim());
            var bridge = "br-" + id[..12];
            var addrs = daemon.IpJson("addr", "show", "dev", bridge).EnumerateArray().Single().GetProperty("addr_info").EnumerateArray()
                .Select(a => a.GetProperty("local").GetString()).ToList();
            Assert.Contains("10.20.0.254", addrs);
            Assert.Contains("fd00:20::1", addrs);
        }
        finally
        {
            daemon.Docker("network", "rm", "full").Ok();
        }
    }

    [Fact]
    public void ListFilters()
    {
        daemon.Docker("network", "create", "--label", "app=web", "--label", "env=prod", "flt-web").Ok();
        daemon.Docker("network", "create", "--label", "app=db", "--internal", "flt-db").Ok();
        try
        {
            Assert.Equal(["flt-db", "flt-web"], Names("name=flt-"));
            Assert.Equal(["flt-web"], Names("label=app=web"));
            Assert.Equal(["flt-db", "flt-web"], Names("label=app"));
            Assert.Equal(["flt-web"], Names("label=app", "label=env=prod"));
            Assert.Equal(["bridge", "host", "none"], Names("type=builtin"));
            Assert.Contains("flt-db", Names("type=custom"));
            Assert.DoesNotContain("bridge", Names("type=custom"));
            Assert.Equal(["host"], Names("driver=host"));
            Assert.Contains("flt-web", Names("dangling=true"));
            Assert.DoesNotContain("flt-web", Names("dangling=false"));
            Assert.Contains("flt-web", Names("scope=local"));
            var id = daemon.Docker("network", "inspect", "-f", "{{.Id}}", "flt-db").Ok().StdOut.Trim();
            Assert.Equal(["flt-db"], Names("id=" + id[..10]));
            var q = daemon.Docker("network", "ls", "-q", "-f", "name=flt-web").Ok().StdOut.Trim();
            Assert.Equal(id.Length == 64 ? 12 : -1, q.Length);
            var bad = daemon.Docker("network", "ls", "-f", "colour=red");
            Assert.Equal(1, bad.ExitCode);
            Assert.Contains("invalid filter 'colour'", bad.StdErr);
        }
        finally
        {
            daemon.Docker("network", "rm", "flt-web", "flt-db").Ok();
        }
    }

    [Fact]
    public void PruneWithFilters()
    {
        daemon.Docker("network", "create", "--label", "prune=yes", "pr-a").Ok();
        daemon.Docker("network", "create", "--label", "prune=no", "pr-b").Ok();
        try
        {
            var r = daemon.Docker("network", "prune", "-f", "--filter", "label=prune=yes").Ok().StdOut;
            Assert.Contains("Deleted Networks:", r);
            Assert.Contains("pr-a", r);
            Assert.DoesNotContain("pr-b", r);
            // until=1h keeps everything made in the last hour
            Assert.DoesNotContain("pr-b", daemon.Docker("network", "prune", "-f", "--filter", "until=1h").Ok().StdOut);
            Assert.Contains("pr-b", daemon.Docker("network", "prune", "-f", "--filter", "label!=prune=yes").Ok().StdOut);
            Assert.Equal(["bridge", "host", "none"], Names("name=."));
        }
        finally
        {
            daemon.Docker("network", "rm", "-f", "pr-a", "pr-b");
        }
    }

    [Fact]
    public void ErrorsAreDockers()
    {
        var r = daemon.Docker("network", "rm", "bridge");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Error response from daemon: bridge is a pre-defined network and cannot be removed", r.StdErr);
        r = daemon.Docker("network", "create", "host");
        Assert.Contains("operation is not permitted on predefined host network", r.StdErr);
        r = daemon.Docker("network", "create", "-d", "host", "host2");
        Assert.Contains("only one instance of \"host\" network is allowed", r.StdErr);
        r = daemon.Docker("network", "create", "-d", "nosuchdriver", "x");
        Assert.Contains("plugin \"nosuchdriver\" not found", r.StdErr);
        r = daemon.Docker("network", "inspect", "nosuch");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("network nosuch not found", r.StdErr);
        daemon.Docker("network", "create", "--subnet", "10.30.0.0/24", "dup").Ok();
        try
        {
            r = daemon.Docker("network", "create", "dup");
            Assert.Contains("network with name dup already exists", r.StdErr);
            r = daemon.Docker("network", "create", "--subnet", "10.30.0.128/25", "overlap");
            Assert.Contains("Pool overlaps with other one on this address space", r.StdErr);
        }
        finally
        {
            daemon.Docker("network", "rm", "dup").Ok();
        }
    }

    [Fact]
    public void EventsStreamNetworkCreateAndDestroy()
    {
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        daemon.Docker("network", "create", "evnet").Ok();
        daemon.Docker("network", "rm", "evnet").Ok();
        var until = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        var lines = daemon.Docker("events", "--since", since.ToString(), "--until", until.ToString(), "--filter", "type=network", "--filter", "network=evnet")
            .Ok().StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("network create", lines[0]);
        Assert.Contains("name=evnet, type=bridge", lines[0]);
        Assert.Contains("network destroy", lines[1]);
    }
}
