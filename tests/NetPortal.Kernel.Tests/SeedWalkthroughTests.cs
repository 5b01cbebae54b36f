namespace NetPortal.Kernel.Tests;

/// <summary>The seed walkthrough, step by step with the real docker CLI, each step checked in the kernel too.</summary>
public sealed class SeedWalkthroughTests(DaemonProcess daemon) : IClassFixture<DaemonProcess>
{
    [Fact]
    public void Walkthrough()
    {
        daemon.Docker("network", "create", "n1").Ok();
        daemon.Docker("network", "create", "n2").Ok();
        daemon.Docker("run", "-d", "--name", "c1", "--network", "n1", "busybox", "sleep", "300").Ok();
        daemon.Docker("run", "-d", "--name", "c2", "--network", "n1", "busybox", "sleep", "300").Ok();
        daemon.Docker("network", "connect", "n2", "c1").Ok();

        var addrs = daemon.Inspect("c1", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, addrs.Length);
        var kernel = Sandboxes.LinksIn(daemon.SandboxKey("c1")).Where(l => l.Name.StartsWith("eth", StringComparison.Ordinal)).SelectMany(l => l.IPv4).Order().ToList();
        Assert.Equal(addrs.Order().ToList(), kernel);

        var c2 = daemon.Inspect("c2", "{{.NetworkSettings.Networks.n1.IPAddress}}");
        Assert.Equal(c2, daemon.KernelIp("c2"));
        var ping = daemon.Docker("exec", "c1", "ping", "-c1", c2).Ok();
        Assert.Contains("1 received", ping.StdOut);

        Assert.Equal(3, daemon.Docker("exec", "c1", "sh", "-c", "exit 3").ExitCode);

        daemon.Docker("run", "-d", "--name", "c5", "busybox", "sh", "-c", "exit 5").Ok();
        Assert.Equal("5", daemon.Docker("wait", "c5").Ok().StdOut.Trim());
        Assert.Equal("exited 5", daemon.Inspect("c5", "{{.State.Status}} {{.State.ExitCode}}"));

        var oldKey = daemon.SandboxKey("c2");
        daemon.Docker("stop", "-t", "1", "c2").Ok();
        Assert.Equal("exited", daemon.Inspect("c2", "{{.State.Status}}"));
        Assert.False(File.Exists(oldKey), oldKey);
        daemon.Docker("start", "c2").Ok();
        Assert.Equal("running", daemon.Inspect("c2", "{{.State.Status}}"));
        var c2Again = daemon.KernelIp("c2");
        Assert.Equal(0, daemon.Ping("c1", c2Again));

        Assert.Equal(["c1", "c2"], daemon.Docker("ps", "--filter", "network=n1", "--format", "{{.Names}}").Lines().Order().ToArray());
        Assert.Equal(["c1"], daemon.Docker("ps", "--filter", "network=n2", "--format", "{{.Names}}").Lines());
    }
}
