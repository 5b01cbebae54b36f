namespace NetPortal.Kernel.Tests;

/// <summary>host, none and container:&lt;x&gt; network modes: what the container's own process sees in the kernel.</summary>
public sealed class NetworkModeTests(DaemonProcess daemon) : IClassFixture<DaemonProcess>
{
    private void Run(string name, params string[] args) =>
        daemon.Docker(["run", "-d", "--name", name, .. args, "busybox", "sleep", "300"]).Ok();

    [Fact]
    public void HostModeSeesTheManagedNamespace()
    {
        Run("hostmode", "--network", "host");
        var seen = daemon.LinksSeenBy("hostmode").Select(l => l.Name).Order().ToList();
        Assert.Contains("docker0", seen);
        var managed = daemon.IpJson("link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()!).Order().ToList();
        Assert.Equal(managed, seen);
        // The managed namespace, never the machine's own.
        Assert.DoesNotContain("docker0", Shell.Run("ip", ["-j", "link", "show"]).Ok().StdOut);
    }

    [Fact]
    public void NoneModeHasOnlyLoopback()
    {
        Run("nonemode", "--network", "none");
        var links = daemon.LinksSeenBy("nonemode");
        Assert.Equal(["lo"], links.Select(l => l.Name));
        Assert.Equal(["lo"], Sandboxes.LinksIn(daemon.SandboxKey("nonemode")).Select(l => l.Name));
        Assert.Equal(["127.0.0.1"], links[0].IPv4);
    }

    [Fact]
    public void ContainerModeSharesTheProvidersInterfacesUntilItStops()
    {
        daemon.Docker("network", "create", "--subnet", "10.51.0.0/24", "cmode").Ok();
        Run("provider", "--network", "cmode");
        Run("joiner", "--network", "container:provider");

        var providerIp = daemon.KernelIp("provider");
        var joinerEth0 = daemon.LinksSeenBy("joiner").Single(l => l.Name == "eth0");
        Assert.Equal([providerIp], joinerEth0.IPv4);
        // The same namespace, not a copy: the joiner's process is in the provider's netns (same inode).
        var providerNs = Shell.Run("readlink", [$"/proc/{daemon.Pid("provider")}/ns/net"]).Ok().StdOut.Trim();
        var joinerPid = daemon.Pid("joiner");
        Assert.Equal(providerNs, Shell.Run("readlink", [$"/proc/{joinerPid}/ns/net"]).Ok().StdOut.Trim());

        daemon.Docker("stop", "-t", "1", "provider").Ok();
        // As Docker: the provider's endpoint goes, the joiner keeps running in the now empty namespace.
        Assert.Equal(["lo"], Sandboxes.LinksIn($"/proc/{joinerPid}/ns/net").Select(l => l.Name));
        Assert.Equal("running", daemon.Inspect("joiner", "{{.State.Status}}"));
        Assert.Equal(["lo"], daemon.LinksSeenBy("joiner").Select(l => l.Name));

        var r = daemon.Docker("run", "-d", "--name", "joiner2", "--network", "container:provider", "busybox", "sleep", "300");
        Assert.Equal(125, r.ExitCode);
        Assert.Contains("cannot join network of a non running container", r.StdErr);
        // As Docker: create succeeded, start failed; the container stays created, with no sandbox.
        Assert.Equal("created", daemon.Inspect("joiner2", "{{.State.Status}}"));
    }
}
