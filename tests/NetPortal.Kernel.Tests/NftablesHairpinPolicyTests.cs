namespace NetPortal.Kernel.Tests;

/// <summary>--userland-proxy=false on the nftables backend: published ports are DNATed from the managed namespace's loopback too.</summary>
public sealed class NftablesHairpinPolicyTests(NftablesHairpinPolicyTests.Setup setup) : IClassFixture<NftablesHairpinPolicyTests.Setup>
{
    private readonly DaemonProcess daemon = setup.Daemon;

    public sealed class Setup : IAsyncLifetime
    {
        public DaemonProcess Daemon { get; } = new() { ExtraArgs = ["--userland-proxy=false", "--firewall-backend", "nftables"] };
        public string WebRoot { get; } = Directory.CreateTempSubdirectory("npp-").FullName;
        public string Token { get; } = "np-" + Guid.NewGuid().ToString("N");

        public async Task InitializeAsync()
        {
            File.WriteAllText(Path.Combine(WebRoot, "index.html"), Token + "\n");
            await Daemon.StartAsync();
            Daemon.Docker("network", "create", "--subnet", "10.93.0.0/24", "--gateway", "10.93.0.1", "ha").Ok();
            Daemon.Docker("run", "-d", "--name", "web", "--network", "ha", "-p", "8080:80", "busybox", "busybox", "httpd", "-f", "-p", "80", "-h", WebRoot).Ok();
            Daemon.Docker("run", "-d", "--name", "a1", "--network", "ha", "busybox", "sleep", "600").Ok();
        }

        public async Task DisposeAsync()
        {
            await Daemon.DisposeAsync();
            try { Directory.Delete(WebRoot, true); } catch (IOException) { }
        }
    }

    private static Shell.Result Retry(Func<Shell.Result> run)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var r = run();
            if (r.ExitCode == 0 || DateTime.UtcNow > deadline) return r;
            Thread.Sleep(100);
        }
    }

    private string Ruleset() => Shell.Run("ip", ["netns", "exec", daemon.Netns, "nft", "list", "table", "ip", "netportal"]).Ok().StdOut;

    [Fact]
    public void PublishedPortIsServedByNatFromTheManagedNamespacesLoopback()
    {
        // busybox 1.35's wget crashes with -T, hence timeout(1).
        var r = Retry(() => Shell.Run("ip", ["netns", "exec", daemon.Netns, "timeout", "5", "busybox", "wget", "-qO-", "http://127.0.0.1:8080/"]));
        Assert.True(r.ExitCode == 0, r.StdErr + "\n" + Ruleset());
        Assert.Contains(setup.Token, r.StdOut);
        // NAT, not the proxy: the loopback switch holds lo and the mapping is a map element.
        var rules = Ruleset();
        Assert.Matches(@"set hairpin-loopback \{[^}]*elements = \{ ""lo"" \}", rules);
        Assert.Contains("8080 : 10.93.0.", rules);
    }

    [Fact]
    public void AContainerReachesAPublishedPortOfItsOwnNetworkThroughTheGateway()
    {
        var r = Retry(() => daemon.Docker("exec", "a1", "timeout", "5", "busybox", "wget", "-qO-", "http://10.93.0.1:8080/"));
        Assert.True(r.ExitCode == 0, r.StdErr + "\n" + Ruleset());
        Assert.Contains(setup.Token, r.StdOut);
    }
}
