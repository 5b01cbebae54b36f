using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NetPortal.Kernel.Tests;

/// <summary>
/// One daemon per firewall backend with a fixed topology, created once per class:
/// <list type="bullet">
/// <item>pa 10.91.0.0/24: web (busybox httpd, -p 8080:80), udp (python3 UDP echo, -p 5353:5353/udp), a1, a2</item>
/// <item>pb 10.92.0.0/24: b1</item>
/// <item>pint 10.93.0.0/24 --internal: i1</item>
/// <item>pnoicc 10.94.0.0/24 enable_icc=false: n1, n2</item>
/// <item>the default bridge (docker0, 172.17.0.1): d1</item>
/// </list>
/// </summary>
public abstract class PolicyFixture(params string[] extraArgs) : IAsyncLifetime
{
    public DaemonProcess Daemon { get; } = new() { ExtraArgs = extraArgs };

    /// <summary>The httpd document root: a folder of this fixture with an index.html holding <see cref="Token"/>.</summary>
    public string WebRoot { get; } = Directory.CreateTempSubdirectory("npp-").FullName;

    public string Token { get; } = "np-" + Guid.NewGuid().ToString("N");

    public const string UdpEcho = """
        import socket
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", 5353))
        while True:
            d, a = s.recvfrom(2048)
            s.sendto(b"echo:" + d, a)
        """;

    public async Task InitializeAsync()
    {
        File.WriteAllText(Path.Combine(WebRoot, "index.html"), Token + "\n");
        await Daemon.StartAsync();
        var d = Daemon;
        d.Docker("network", "create", "--subnet", "10.91.0.0/24", "--gateway", "10.91.0.1", "pa").Ok();
        d.Docker("network", "create", "--subnet", "10.92.0.0/24", "--gateway", "10.92.0.1", "pb").Ok();
        d.Docker("network", "create", "--internal", "--subnet", "10.93.0.0/24", "--gateway", "10.93.0.1", "pint").Ok();
        d.Docker("network", "create", "-o", "com.docker.network.bridge.enable_icc=false", "--subnet", "10.94.0.0/24", "--gateway", "10.94.0.1", "pnoicc").Ok();
        d.Docker("run", "-d", "--name", "web", "--network", "pa", "-p", "8080:80", "busybox", "busybox", "httpd", "-f", "-p", "80", "-h", WebRoot).Ok();
        d.Docker("run", "-d", "--name", "udp", "--network", "pa", "-p", "5353:5353/udp", "busybox", "python3", "-c", UdpEcho).Ok();
        foreach (var (name, net) in new[] { ("a1", "pa"), ("a2", "pa"), ("b1", "pb"), ("i1", "pint"), ("n1", "pnoicc"), ("n2", "pnoicc"), ("d1", "bridge") })
        {
            d.Docker("run", "-d", "--name", name, "--network", net, "busybox", "sleep", "600").Ok();
        }
    }

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        try { Directory.Delete(WebRoot, true); } catch (IOException) { }
    }
}

/// <summary>
/// Port publishing, internal networks, icc, cross-bridge isolation and the user's forward rules, with real traffic
/// between the daemon's namespaces. The same tests run against each firewall backend (the concrete classes below);
/// only how a user rule is written and how the firewall is read differ.
/// </summary>
public abstract class FirewallPolicyTests(PolicyFixture setup)
{
    protected readonly DaemonProcess daemon = setup.Daemon;
    protected readonly PolicyFixture setup = setup;

    /// <summary>Adds the backend's "drop everything from this source" user rule inside the managed namespace.</summary>
    protected abstract void AddUserDrop(string sourceIp);

    protected abstract void RemoveUserDrop(string sourceIp);

    protected abstract bool UserDropPresent(string sourceIp);

    /// <summary>
    /// Everything the firewall holds in the managed namespace: iptables-save's rules and `nft list ruleset` (which
    /// also shows iptables-nft's tables) with packet counters blanked, so traffic does not change it.
    /// </summary>
    protected string FirewallDump()
    {
        var ipt = string.Join('\n', daemon.IptablesSave().Split('\n').Where(l => l.StartsWith("-A", StringComparison.Ordinal)));
        var nft = NsExec("nft", "list", "ruleset").Ok().StdOut;
        return ipt + "\n" + Regex.Replace(nft, @"packets \d+ bytes \d+", "");
    }

    protected Shell.Result NsExec(params string[] args) => Shell.Run("ip", ["netns", "exec", daemon.Netns, .. args]);

    protected string Ip(string container, string network) => daemon.Inspect(container, $"{{{{.NetworkSettings.Networks.{network}.IPAddress}}}}");

    /// <summary>Repeats run until accept holds or the deadline passes; returns the last result.</summary>
    protected static Shell.Result Until(Func<Shell.Result> run, Func<Shell.Result, bool> accept, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var r = run();
            if (accept(r) || DateTime.UtcNow > deadline) return r;
            Thread.Sleep(100);
        }
    }

    // busybox wget bounded by timeout(1): this host's busybox 1.35 wget crashes (SIGSEGV) when given -T.
    protected Shell.Result WgetFromManagedNs(string url) =>
        Until(() => NsExec("timeout", "5", "busybox", "wget", "-qO-", url), r => r.ExitCode == 0);

    protected Shell.Result WgetFrom(string container, string url) =>
        Until(() => daemon.Docker("exec", container, "timeout", "5", "busybox", "wget", "-qO-", url), r => r.ExitCode == 0);

    /// <summary>ping succeeds within a deadline (a first ping may wait for ARP).</summary>
    protected bool Reaches(string from, string ip) => Sandboxes.Eventually(() => daemon.Ping(from, ip) == 0, 6_000);

    /// <summary>
    /// Each pair's single `ping -c1 -W2` gets no answer; the pairs are pinged at once. Callers also show a path
    /// that does work from the same container, so a failure here is the policy, not a broken sandbox.
    /// </summary>
    protected void AssertBlocked(params (string From, string Ip)[] pairs)
    {
        var through = pairs.AsParallel().WithDegreeOfParallelism(pairs.Length)
            .Where(p => daemon.Ping(p.From, p.Ip) == 0).Select(p => $"{p.From} -> {p.Ip}").ToList();
        Assert.True(through.Count == 0, "answered: " + string.Join(", ", through));
    }

    private int VethCount() => daemon.Veths().Count;

    [Fact]
    public void PublishedTcpPortServesTheManagedNamespacesLoopback()
    {
        var r = WgetFromManagedNs("http://127.0.0.1:8080/");
        Assert.True(r.ExitCode == 0, r.StdErr + daemon.Log[^Math.Min(3000, daemon.Log.Length)..]);
        Assert.Contains(setup.Token, r.StdOut);
    }

    [Fact]
    public void PublishedUdpPortEchoesToTheManagedNamespacesLoopback()
    {
        const string client = """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(2)
            s.sendto(b"ping-5353", ("127.0.0.1", 5353))
            print(s.recvfrom(2048)[0].decode())
            """;
        var r = Until(() => NsExec("python3", "-c", client), r => r.StdOut.Contains("echo:ping-5353"));
        Assert.Contains("echo:ping-5353", r.StdOut);
    }

    [Fact]
    public void PublishedPortIsReachedFromOtherNetworksThroughTheirGateway()
    {
        // b1 (pb) and d1 (docker0) connect to an address of the managed namespace: their own gateway. With the
        // userland proxy, traffic coming in from a masquerading bridge is not DNATed (dockerd's `-i br -j RETURN`,
        // nftables' skip-dnat set): the proxy listening on 0.0.0.0:8080 serves it and opens its own connection to web.
        var b = WgetFrom("b1", "http://10.92.0.1:8080/");
        Assert.True(b.ExitCode == 0, b.StdErr);
        Assert.Contains(setup.Token, b.StdOut);
        var d = WgetFrom("d1", "http://172.17.0.1:8080/");
        Assert.True(d.ExitCode == 0, d.StdErr);
        Assert.Contains(setup.Token, d.StdOut);
    }

    [Fact]
    public void EphemeralAndExposedPortsAreReportedAndServed()
    {
        try
        {
            daemon.Docker("run", "-d", "--name", "eph", "-p", "80", "busybox", "busybox", "httpd", "-f", "-p", "80", "-h", setup.WebRoot).Ok();
            var hostPort = daemon.Inspect("eph", """{{(index (index .NetworkSettings.Ports "80/tcp") 0).HostPort}}""");
            var port = int.Parse(hostPort);
            Assert.InRange(port, 32768, 60999);
            Assert.Contains($"0.0.0.0:{port}", daemon.Docker("port", "eph", "80").Ok().StdOut);
            Assert.Contains($"0.0.0.0:{port}->80/tcp", daemon.Docker("ps", "--filter", "name=^eph$", "--format", "{{.Ports}}").Ok().StdOut);
            Assert.Contains(setup.Token, WgetFromManagedNs($"http://127.0.0.1:{port}/").Ok().StdOut);

            daemon.Docker("run", "-d", "--name", "exp", "-P", "--expose", "90", "busybox", "busybox", "httpd", "-f", "-p", "90", "-h", setup.WebRoot).Ok();
            var line = daemon.Docker("port", "exp", "90/tcp").Ok().Lines().First(l => l.StartsWith("0.0.0.0:", StringComparison.Ordinal));
            var exposed = int.Parse(line["0.0.0.0:".Length..]);
            Assert.InRange(exposed, 32768, 60999);
            Assert.NotEqual(port, exposed);
            Assert.Contains($"0.0.0.0:{exposed}->90/tcp", daemon.Docker("ps", "--filter", "name=^exp$", "--format", "{{.Ports}}").Ok().StdOut);
            Assert.Contains(setup.Token, WgetFromManagedNs($"http://127.0.0.1:{exposed}/").Ok().StdOut);
        }
        finally
        {
            daemon.Docker("rm", "-f", "eph", "exp");
        }
    }

    [Fact]
    public void APortAllocatedToAnotherContainerFailsAndLeavesNothing()
    {
        var rules = FirewallDump();
        var veths = VethCount();
        try
        {
            var r = daemon.Docker("run", "-d", "--name", "dup", "--network", "pb", "-p", "8080:80", "busybox", "sleep", "600");
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("Bind for 0.0.0.0:8080 failed: port is already allocated", r.StdErr);
            Assert.Equal("false", daemon.Inspect("dup", "{{.State.Running}}"));
            Assert.Equal(rules, FirewallDump());
            Assert.Equal(veths, VethCount());
            // The first container still has the port.
            Assert.Contains(setup.Token, WgetFromManagedNs("http://127.0.0.1:8080/").Ok().StdOut);
        }
        finally
        {
            daemon.Docker("rm", "-f", "dup");
        }
    }

    [Fact]
    public void APortTakenByAProcessInTheManagedNamespaceFailsAndLeavesNothing()
    {
        const string listener = """
            import socket, time
            s = socket.socket()
            s.bind(("0.0.0.0", 8181))
            s.listen()
            print("ready", flush=True)
            time.sleep(120)
            """;
        var psi = new ProcessStartInfo("ip", ["netns", "exec", daemon.Netns, "python3", "-c", listener])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        using var p = Process.Start(psi)!;
        try
        {
            Assert.Equal("ready", p.StandardOutput.ReadLine());
            var rules = FirewallDump();
            var veths = VethCount();
            var r = daemon.Docker("run", "-d", "--name", "taken", "--network", "pb", "-p", "8181:80", "busybox", "sleep", "600");
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("0.0.0.0:8181", r.StdErr);
            Assert.Contains("address already in use", r.StdErr);
            Assert.Equal("false", daemon.Inspect("taken", "{{.State.Running}}"));
            Assert.Equal(rules, FirewallDump());
            Assert.Equal(veths, VethCount());
        }
        finally
        {
            p.Kill(true);
            daemon.Docker("rm", "-f", "taken");
        }
    }

    [Fact]
    public void InternalNetworksReachOnlyTheirOwnBridge()
    {
        var i1 = daemon.SandboxKey("i1");
        // As with Docker, an internal network's container has no default route: the managed namespace's docker0
        // address and other networks are unreachable from the start.
        Assert.DoesNotContain("default", Shell.Run("nsenter", ["--net=" + i1, "ip", "route"]).Ok().StdOut);
        Assert.True(Reaches("i1", "10.93.0.1"), "i1's own bridge answers: its sandbox works");
        AssertBlocked(("i1", "172.17.0.1"), ("i1", Ip("b1", "pb")));

        // The firewall, not only routing, keeps it in: with a default route put in by hand, forwarded traffic to
        // and from other networks is still dropped.
        Shell.Run("nsenter", ["--net=" + i1, "ip", "route", "add", "default", "via", "10.93.0.1"]).Ok();
        try
        {
            AssertBlocked(("i1", Ip("b1", "pb")), ("i1", Ip("d1", "bridge")), ("b1", Ip("i1", "pint")), ("d1", Ip("i1", "pint")));
        }
        finally
        {
            Shell.Run("nsenter", ["--net=" + i1, "ip", "route", "del", "default"]).Ok();
        }

        // The opposite case: containers on normal networks reach their gateway and docker0's address.
        Assert.True(Reaches("a1", "10.91.0.1"));
        Assert.True(Reaches("a1", "172.17.0.1"));
        Assert.True(Reaches("b1", "10.92.0.1"));
    }

    [Fact]
    public void IccOffDropsTrafficWithinTheBridgeOnly()
    {
        Assert.True(Reaches("n1", "10.94.0.1"));
        Assert.True(Reaches("n2", "10.94.0.1"));
        AssertBlocked(("n1", Ip("n2", "pnoicc")), ("n2", Ip("n1", "pnoicc")));
        Assert.True(Reaches("a1", Ip("a2", "pa")));
        Assert.True(Reaches("a2", Ip("a1", "pa")));
    }

    [Fact]
    public void TwoBridgesAreIsolated()
    {
        Assert.True(Reaches("a1", "10.91.0.1"));
        Assert.True(Reaches("b1", "10.92.0.1"));
        Assert.True(Reaches("d1", "172.17.0.1"));
        AssertBlocked(("a1", Ip("b1", "pb")), ("b1", Ip("a1", "pa")), ("a1", Ip("d1", "bridge")), ("d1", Ip("b1", "pb")));
    }

    [Fact]
    public void TheGatewayKeepsItsMacWhileContainersComeAndGo()
    {
        // A bridge without an address of its own takes its lowest port's MAC and changes it when that port leaves;
        // the containers still on the network would then send to a MAC nobody has until their ARP entry expires.
        var bridge = "br-" + daemon.Docker("network", "inspect", "-f", "{{.Id}}", "pa").Ok().StdOut.Trim()[..12];
        string Mac() => daemon.IpJson("link", "show", "dev", bridge)[0].GetProperty("address").GetString()!;
        Assert.True(Reaches("a1", "10.91.0.1"));
        var before = Mac();
        string[] extra = ["m1", "m2", "m3"];
        try
        {
            foreach (var n in extra) daemon.Docker("run", "-d", "--name", n, "--network", "pa", "busybox", "sleep", "600").Ok();
            Assert.Equal(before, Mac());
        }
        finally
        {
            daemon.Docker(["rm", "-f", .. extra]);
        }
        Assert.Equal(before, Mac());
        Assert.Equal(0, daemon.Ping("a1", "10.91.0.1"));
    }

    [Fact]
    public void EmbeddedDnsResolvesContainersOfTheNetwork()
    {
        // The resolver's DNAT lives in each sandbox, whichever backend filters the managed namespace.
        Assert.Contains(Ip("a2", "pa"), daemon.Docker("exec", "a1", "busybox", "nslookup", "a2", "127.0.0.11").Ok().StdOut);
        Assert.Contains(Ip("web", "pa"), daemon.Docker("exec", "a1", "busybox", "nslookup", "web", "127.0.0.11").Ok().StdOut);
        Assert.True(Reaches("a1", "a2"));
        Assert.Contains(setup.Token, WgetFrom("a1", "http://web:80/").Ok().StdOut);
    }

    [Fact]
    public async Task AUserDropRuleDropsAndSurvivesNetworkChangesAndARestart()
    {
        // a1 -> a2 is bridged within pa; with bridge-nf-call-iptables=1 it passes the FORWARD hook, where the user
        // chain is consulted before NetPortal's own rules.
        var a1 = Ip("a1", "pa");
        var a2 = Ip("a2", "pa");
        Assert.True(Reaches("a1", a2));
        AddUserDrop(a1);
        try
        {
            Assert.True(Sandboxes.Eventually(() => daemon.Ping("a1", a2) != 0));
            Assert.True(Reaches("a2", "10.91.0.1"), "only a1's packets are dropped");

            daemon.Docker("network", "create", "--subnet", "10.95.0.0/24", "ptmp").Ok();
            daemon.Docker("network", "rm", "ptmp").Ok();
            Assert.True(UserDropPresent(a1), FirewallDump());
            Assert.NotEqual(0, daemon.Ping("a1", a2));

            await daemon.StopAsync();
            await daemon.StartAsync();
            Assert.True(UserDropPresent(a1), FirewallDump());
            Assert.NotEqual(0, daemon.Ping("a1", a2));
        }
        finally
        {
            RemoveUserDrop(a1);
        }

        Assert.False(UserDropPresent(a1));
        Assert.True(Reaches("a1", a2));
        // Published ports are served again after the restart (the proxy is re-opened for the adopted container).
        Assert.Contains(setup.Token, WgetFromManagedNs("http://127.0.0.1:8080/").Ok().StdOut);
    }
}

/// <summary>The policies with the default iptables backend (dockerd's chains, DOCKER-USER).</summary>
public sealed class IptablesPolicyTests(IptablesPolicyTests.Setup setup) : FirewallPolicyTests(setup), IClassFixture<IptablesPolicyTests.Setup>
{
    public sealed class Setup() : PolicyFixture();

    protected override void AddUserDrop(string sourceIp) => NsExec("iptables", "-I", "DOCKER-USER", "-s", sourceIp, "-j", "DROP").Ok();

    protected override void RemoveUserDrop(string sourceIp) => NsExec("iptables", "-D", "DOCKER-USER", "-s", sourceIp, "-j", "DROP").Ok();

    protected override bool UserDropPresent(string sourceIp) =>
        daemon.IptablesSave().Contains($"-A DOCKER-USER -s {sourceIp}/32 -j DROP", StringComparison.Ordinal);
}

/// <summary>The same policies with --firewall-backend nftables (table ip netportal, user chain user-forward).</summary>
public sealed class NftablesPolicyTests(NftablesPolicyTests.Setup setup) : FirewallPolicyTests(setup), IClassFixture<NftablesPolicyTests.Setup>
{
    public sealed class Setup() : PolicyFixture("--firewall-backend", "nftables");

    protected override void AddUserDrop(string sourceIp) => NsExec("nft", "add", "rule", "ip", "netportal", "user-forward", "ip", "saddr", sourceIp, "drop").Ok();

    protected override void RemoveUserDrop(string sourceIp)
    {
        // nft deletes rules by handle: `nft -a` prints "... drop # handle N".
        var chain = NsExec("nft", "-a", "list", "chain", "ip", "netportal", "user-forward").Ok().StdOut;
        foreach (Match m in Regex.Matches(chain, $@"ip saddr {Regex.Escape(sourceIp)} drop # handle (\d+)"))
        {
            NsExec("nft", "delete", "rule", "ip", "netportal", "user-forward", "handle", m.Groups[1].Value).Ok();
        }
    }

    protected override bool UserDropPresent(string sourceIp) =>
        NsExec("nft", "list", "chain", "ip", "netportal", "user-forward").Ok().StdOut.Contains($"ip saddr {sourceIp} drop", StringComparison.Ordinal);
}

/// <summary>
/// --userland-proxy=false (iptables backend): published ports are served by NAT only, including from the managed
/// namespace's own loopback (OUTPUT DNAT of 127.0.0.1 with route_localnet and hairpin masquerade). The nftables
/// backend does not DNAT loopback destinations (its nat-OUTPUT rule skips 127.0.0.0/8, see docs/firewall.md), so
/// this is not tested there.
/// </summary>
public sealed class HairpinPolicyTests(HairpinPolicyTests.Setup setup) : IClassFixture<HairpinPolicyTests.Setup>
{
    private readonly DaemonProcess daemon = setup.Daemon;

    public sealed class Setup : IAsyncLifetime
    {
        public DaemonProcess Daemon { get; } = new() { ExtraArgs = ["--userland-proxy=false"] };
        public string WebRoot { get; } = Directory.CreateTempSubdirectory("npp-").FullName;
        public string Token { get; } = "np-" + Guid.NewGuid().ToString("N");

        public async Task InitializeAsync()
        {
            File.WriteAllText(Path.Combine(WebRoot, "index.html"), Token + "\n");
            await Daemon.StartAsync();
            Daemon.Docker("network", "create", "--subnet", "10.91.0.0/24", "--gateway", "10.91.0.1", "pa").Ok();
            Daemon.Docker("run", "-d", "--name", "web", "--network", "pa", "-p", "8080:80", "busybox", "busybox", "httpd", "-f", "-p", "80", "-h", WebRoot).Ok();
            Daemon.Docker("run", "-d", "--name", "a1", "--network", "pa", "busybox", "sleep", "600").Ok();
        }

        public async Task DisposeAsync()
        {
            await Daemon.DisposeAsync();
            try { Directory.Delete(WebRoot, true); } catch (IOException) { }
        }
    }

    private Shell.Result Wget(Func<Shell.Result> run)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var r = run();
            if (r.ExitCode == 0 || DateTime.UtcNow > deadline) return r;
            Thread.Sleep(100);
        }
    }

    [Fact]
    public void PublishedPortIsServedByNatFromTheManagedNamespacesLoopback()
    {
        var r = Wget(() => Shell.Run("ip", ["netns", "exec", daemon.Netns, "timeout", "5", "busybox", "wget", "-qO-", "http://127.0.0.1:8080/"]));
        Assert.True(r.ExitCode == 0, r.StdErr + "\n" + daemon.IptablesSave());
        Assert.Contains(setup.Token, r.StdOut);
        // NAT, not a proxy: the DNAT rule exists and the bridge accepts 127.0.0.0/8 after it.
        Assert.Contains("--dport 8080 -j DNAT", daemon.IptablesSave());
        Assert.Equal("1", Shell.Run("ip", ["netns", "exec", daemon.Netns, "sysctl", "-n", $"net.ipv4.conf.br-{daemon.Docker("network", "inspect", "-f", "{{.Id}}", "pa").Ok().StdOut.Trim()[..12]}.route_localnet"]).Ok().StdOut.Trim());
    }

    [Fact]
    public void AContainerReachesAPublishedPortOfItsOwnNetworkThroughTheGateway()
    {
        var r = Wget(() => daemon.Docker("exec", "a1", "timeout", "5", "busybox", "wget", "-qO-", "http://10.91.0.1:8080/"));
        Assert.True(r.ExitCode == 0, r.StdErr + "\n" + daemon.IptablesSave());
        Assert.Contains(setup.Token, r.StdOut);
    }
}
