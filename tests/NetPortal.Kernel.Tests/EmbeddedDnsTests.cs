namespace NetPortal.Kernel.Tests;

/// <summary>The embedded resolver at 127.0.0.11 inside sandboxes on user-defined networks, end to end through the daemon.</summary>
public sealed class EmbeddedDnsTests(EmbeddedDnsTests.Setup setup) : IClassFixture<EmbeddedDnsTests.Setup>
{
    private readonly DaemonProcess daemon = setup.Daemon;

    /// <summary>One daemon with two networks, three containers and a stub upstream, for the whole class.</summary>
    public sealed class Setup : IAsyncLifetime
    {
        public DaemonProcess Daemon { get; } = new();
        private System.Diagnostics.Process? _stub;
        private string EtcNetns => Path.Combine("/etc/netns", Daemon.Netns);

        public async Task InitializeAsync()
        {
            await Daemon.StartAsync();
            var daemon = Daemon;
            daemon.Docker("network", "create", "--subnet", "10.81.0.0/24", "dn1").Ok();
            daemon.Docker("network", "create", "--subnet", "10.82.0.0/24", "dn2").Ok();
            daemon.Docker("run", "-d", "--name", "dc1", "--network", "dn1", "busybox", "sleep", "300").Ok();
            daemon.Docker("run", "-d", "--name", "dc2", "--network", "dn1", "--network-alias", "db", "busybox", "sleep", "300").Ok();
            daemon.Docker("run", "-d", "--name", "dc3", "--network", "dn2", "busybox", "sleep", "300").Ok();
            // Processes in a named namespace read /etc/netns/NAME/resolv.conf (ip netns exec's convention, followed by the daemon).
            Directory.CreateDirectory(EtcNetns);
            File.WriteAllText(Path.Combine(EtcNetns, "resolv.conf"), "nameserver 127.0.0.1\n");
            var psi = new System.Diagnostics.ProcessStartInfo("ip", ["netns", "exec", daemon.Netns, "python3", "-c", StubServer]) { UseShellExecute = false };
            _stub = System.Diagnostics.Process.Start(psi);
        }

        public async Task DisposeAsync()
        {
            try { _stub?.Kill(true); } catch (InvalidOperationException) { }
            try { Directory.Delete(EtcNetns, true); } catch (IOException) { }
            await Daemon.DisposeAsync();
        }
    }

    private const string StubAnswer = "10.99.0.42";

    // A stub upstream DNS server: answers every A question with StubAnswer. It runs inside the managed namespace
    // (on its loopback), which is where the daemon forwards from, as dockerd forwards from the host namespace.
    private const string StubServer = """
        import socket, struct
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 53))
        while True:
            q, a = s.recvfrom(512)
            qid, flags, qd = struct.unpack(">HHH", q[:6])
            end = 12
            while q[end] != 0: end += 1 + q[end]
            question = q[12:end + 5]
            answer = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton("10.99.0.42")
            s.sendto(struct.pack(">HHHHHH", qid, 0x8180, 1, 1, 0, 0) + question + answer, a)
        """;

    private Shell.Result Lookup(string container, string name) =>
        daemon.Docker("exec", container, "busybox", "nslookup", name, "127.0.0.11");

    [Fact]
    public void NamesAndAliasesResolveAndPingOnTheSameNetwork()
    {
        var ip2 = daemon.Inspect("dc2", "{{.NetworkSettings.Networks.dn1.IPAddress}}");
        Assert.Contains(ip2, Lookup("dc1", "dc2").Ok().StdOut);
        Assert.Contains(ip2, Lookup("dc1", "db").Ok().StdOut);
        Assert.Equal(0, daemon.Docker("exec", "dc1", "ping", "-c1", "-W2", "dc2").ExitCode);
        Assert.Equal(0, daemon.Docker("exec", "dc1", "ping", "-c1", "-W2", "db").ExitCode);
        var shortId = daemon.Inspect("dc2", "{{.Id}}")[..12];
        Assert.Contains(ip2, Lookup("dc1", shortId).Ok().StdOut);
    }

    [Fact]
    public void ANameOnAnotherNetworkDoesNotResolve()
    {
        // Not a local name for dc1, so it is forwarded (the class's stub upstream answers everything with StubAnswer):
        // what must never come back is dc3's own address.
        var ip3 = daemon.Inspect("dc3", "{{.NetworkSettings.Networks.dn2.IPAddress}}");
        var r = Lookup("dc1", "dc3");
        Assert.DoesNotContain(ip3, r.StdOut);
        Assert.Contains(ip3, Lookup("dc3", "dc3").Ok().StdOut);
    }

    [Fact]
    public void PtrAnswersWithNameDotNetwork()
    {
        var ip2 = daemon.Inspect("dc2", "{{.NetworkSettings.Networks.dn1.IPAddress}}");
        Assert.Contains("dc2.dn1", Lookup("dc1", ip2).Ok().StdOut);
    }

    [Fact]
    public void OtherNamesAreForwardedToTheManagedNamespacesResolver()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        Shell.Result r;
        do
        {
            r = Lookup("dc1", "example.test");
            if (r.StdOut.Contains(StubAnswer)) break;
            Thread.Sleep(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Contains(StubAnswer, r.StdOut);
    }

    [Fact]
    public void AaaaAndIPv6PtrOnAnIPv6Network()
    {
        daemon.Docker("network", "create", "--ipv6", "--subnet", "10.83.0.0/24", "--subnet", "fd00:83::/64", "dn6").Ok();
        daemon.Docker("run", "-d", "--name", "dv1", "--network", "dn6", "busybox", "sleep", "300").Ok();
        daemon.Docker("run", "-d", "--name", "dv2", "--network", "dn6", "busybox", "sleep", "300").Ok();
        var ip6 = daemon.Inspect("dv2", "{{.NetworkSettings.Networks.dn6.GlobalIPv6Address}}");
        Assert.StartsWith("fd00:83::", ip6);
        Assert.Contains(ip6, daemon.Docker("exec", "dv1", "busybox", "nslookup", "-type=AAAA", "dv2", "127.0.0.11").Ok().StdOut);
        Assert.Contains("dv2.dn6", daemon.Docker("exec", "dv1", "busybox", "nslookup", ip6, "127.0.0.11").Ok().StdOut);
        Assert.Equal(0, daemon.Docker("exec", "dv1", "ping", "-6", "-c1", "-W2", "dv2").ExitCode);
    }

    [Fact]
    public void LinkLocalIpReachesTheSandbox()
    {
        daemon.Docker("run", "-d", "--name", "dl1", "--network", "dn1", "--link-local-ip", "169.254.77.7", "busybox", "sleep", "300").Ok();
        Assert.Contains("169.254.77.7", Shell.Run("nsenter", ["--net=" + daemon.SandboxKey("dl1"), "ip", "-4", "addr", "show", "eth0"]).Ok().StdOut);
    }

    [Fact]
    public void TheDefaultBridgeGetsNoEmbeddedDns()
    {
        daemon.Docker("run", "-d", "--name", "dcb", "busybox", "sleep", "300").Ok();
        Assert.DoesNotContain("127.0.0.11", daemon.Docker("exec", "dcb", "cat", "/etc/resolv.conf").Ok().StdOut);
        Assert.DoesNotContain("DOCKER_OUTPUT", Shell.Run("nsenter", ["--net=" + daemon.SandboxKey("dcb"), "iptables-save", "-t", "nat"]).Ok().StdOut);
        Assert.Contains("DOCKER_OUTPUT", Shell.Run("nsenter", ["--net=" + daemon.SandboxKey("dc1"), "iptables-save", "-t", "nat"]).Ok().StdOut);
    }
}
