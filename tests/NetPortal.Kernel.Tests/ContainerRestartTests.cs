namespace NetPortal.Kernel.Tests;

/// <summary>Live restore: sandboxes outlive a daemon restart; one whose process died meanwhile is cleaned at start-up.</summary>
public sealed class ContainerRestartTests(DaemonProcess daemon) : IClassFixture<DaemonProcess>
{
    [Fact]
    public async Task RunningSandboxesSurviveARestartAndDeadOnesAreCleaned()
    {
        daemon.Docker("network", "create", "--subnet", "10.52.0.0/24", "live").Ok();
        foreach (var n in new[] { "live1", "live2", "doomed" })
            daemon.Docker("run", "-d", "--name", n, "--network", "live", "busybox", "sleep", "300").Ok();
        var ip2 = daemon.KernelIp("live2");
        var doomedPid = daemon.Pid("doomed");
        var doomedVeth = daemon.HostVethOf("doomed");
        var doomedKey = daemon.SandboxKey("doomed");
        var live1Veth = daemon.HostVethOf("live1");
        var live1Pid = daemon.Pid("live1");

        await daemon.StopAsync();
        // The sandboxes' processes outlive the daemon.
        Assert.False(IsGone(live1Pid), $"live1's pid {live1Pid} died with the daemon");
        Shell.Run("kill", ["-KILL", doomedPid.ToString()]).Ok();
        Assert.True(Sandboxes.Eventually(() => IsGone(doomedPid)), $"pid {doomedPid} did not die");
        await daemon.StartAsync();

        var ps = daemon.Docker("ps", "--format", "{{.Names}} {{.Status}}").Lines();
        Assert.Contains(ps, l => l.StartsWith("live1 Up", StringComparison.Ordinal));
        Assert.Contains(ps, l => l.StartsWith("live2 Up", StringComparison.Ordinal));
        Assert.DoesNotContain(ps, l => l.StartsWith("doomed ", StringComparison.Ordinal));
        Assert.StartsWith("Exited", daemon.Docker("ps", "-a", "--filter", "name=^/doomed$", "--format", "{{.Status}}").Ok().StdOut.Trim());
        Assert.Equal(0, daemon.Ping("live1", ip2));
        Assert.Equal(0, daemon.Ping("live2", daemon.KernelIp("live1")));
        var veths = daemon.Veths().Values;
        Assert.DoesNotContain(doomedVeth, veths);
        Assert.Contains(live1Veth, veths);
        Assert.Equal(live1Pid, daemon.Pid("live1"));
        Assert.False(File.Exists(doomedKey), doomedKey);
    }

    private static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // A zombie (no longer the daemon's child, not yet reaped by its new parent) has exited too.
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
        }
    }
}
