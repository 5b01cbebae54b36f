using System.Text.Json;
using NetPortal.Core.Errors;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Tests.Kernel;
using static NetPortal.Linux.Tests.Sandboxes.SandboxTestBed;

namespace NetPortal.Linux.Tests.Sandboxes;

public sealed class LinuxSandboxRuntimeKernelTests
{
    private const int SIGTERM = 15;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [KernelFact]
    public void Create_NewNamespace_OnlyLoopbackUp_FilesWritten()
    {
        using var bed = new SandboxTestBed();
        var id = NewId();
        var sb = bed.Create(Spec(id));

        Assert.Equal(Path.Combine(bed.StateDirectory, "netns", id[..12]), sb.Key);
        Assert.Equal(Path.Combine(bed.StateDirectory, id), sb.Directory);
        Assert.True(sb.OwnsNetwork);
        using var links = JsonDocument.Parse(Must("nsenter", $"--net={sb.Key}", "ip", "-j", "link"));
        var link = Assert.Single(links.RootElement.EnumerateArray());
        Assert.Equal("lo", link.GetProperty("ifname").GetString());
        Assert.Contains("UP", link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal($"host-{id[..6]}\n", File.ReadAllText(Path.Combine(sb.Directory, "hostname")));
        Assert.Equal("nameserver 10.9.9.53\n", File.ReadAllText(Path.Combine(sb.Directory, "resolv.conf")));
        Assert.Equal([id], bed.Runtime.ListSandboxes());
    }

    [KernelFact]
    public async Task Start_RunsInSandbox_HostnameHostsSysfs_SigtermEndsIt()
    {
        using var bed = new SandboxTestBed();
        var id = NewId();
        var sb = bed.Create(Spec(id));
        var h = bed.Start(sb, "sleep", "30");

        Assert.True(bed.Runtime.IsAlive(h));
        // The PID is the command's own (nsenter, setsid and sh exec without forking).
        await WaitUntil(() => File.ReadAllText($"/proc/{h.Pid}/comm").Trim() == "sleep");
        Assert.Equal($"host-{id[..6]}\n", InSandbox(sb, "hostname"));
        Assert.Equal("example.test\n", InSandbox(sb, "cat", "/proc/sys/kernel/domainname"));
        Assert.Equal(File.ReadAllText(Path.Combine(sb.Directory, "hosts")), InSandbox(sb, "cat", "/etc/hosts"));
        Assert.Equal("nameserver 10.9.9.53\n", InSandbox(sb, "cat", "/etc/resolv.conf"));
        Assert.Equal("lo\n", InSandbox(sb, "ls", "/sys/class/net"));
        // The process really is in the sandbox's namespaces, in its own session, and the host is untouched.
        Assert.Equal(Inode(sb.Key), Inode($"/proc/{h.Pid}/ns/net"));
        Assert.Equal(Inode($"{sb.Directory}/uts"), Inode($"/proc/{h.Pid}/ns/uts"));
        Assert.Equal(Inode($"{sb.Directory}/mnt"), Inode($"/proc/{h.Pid}/ns/mnt"));
        Assert.Equal(h.Pid, SessionId(h.Pid));
        Assert.NotEqual($"host-{id[..6]}", System.Net.Dns.GetHostName());

        bed.Runtime.Signal(h, SIGTERM);
        Assert.Equal(128 + SIGTERM, await bed.Runtime.WaitAsync(h, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(bed.Runtime.IsAlive(h));
        bed.Runtime.Signal(h, SIGTERM); // gone: not an error
    }

    [KernelFact]
    public async Task Start_EnvironmentIsExactlyEnvPlusPathAndHostname_OutputInLog()
    {
        using var bed = new SandboxTestBed();
        var id = NewId();
        var sb = bed.Create(Spec(id));
        var h = bed.Start(sb, ["A=1", "B=two words", "EMPTY="], "env");
        Assert.Equal(0, await bed.Runtime.WaitAsync(h, CancellationToken.None).WaitAsync(Timeout));

        var lines = File.ReadAllLines(Path.Combine(sb.Directory, "log")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "A=1", "B=two words", "EMPTY=", $"HOSTNAME=host-{id[..6]}", "PATH=" + Linux.Sandboxes.LinuxSandboxRuntime.DefaultPath }, lines);

        var h2 = bed.Start(sb, ["PATH=/bin:/usr/bin", "HOSTNAME=mine"], "sh", "-c", "echo out; echo err >&2; pwd");
        Assert.Equal(0, await bed.Runtime.WaitAsync(h2, CancellationToken.None).WaitAsync(Timeout));
        Assert.EndsWith("out\nerr\n/\n", File.ReadAllText(Path.Combine(sb.Directory, "log")));
    }

    [KernelFact]
    public async Task Start_ExitCodeIsReported()
    {
        using var bed = new SandboxTestBed();
        var sb = bed.Create(Spec(NewId()));
        var h = bed.Start(sb, "sh", "-c", "exit 3");
        Assert.Equal(3, await bed.Runtime.WaitAsync(h, CancellationToken.None).WaitAsync(Timeout));
        // A second wait gets the same code.
        Assert.Equal(3, await bed.Runtime.WaitAsync(h, CancellationToken.None).WaitAsync(Timeout));
    }

    [KernelFact]
    public void Start_UnknownCommand_FailsLikeDocker_StartsNothing()
    {
        using var bed = new SandboxTestBed();
        var sb = bed.Create(Spec(NewId()));
        var e = Assert.Throws<NetPortalException>(() => bed.Runtime.Start(sb, new ProcessSpec(["nosuch"], [], "/")));
        Assert.Equal(ErrorKind.Internal, e.Kind);
        Assert.Contains("exec: \"nosuch\": executable file not found in $PATH", e.Message);
        e = Assert.Throws<NetPortalException>(() => bed.Runtime.Start(sb, new ProcessSpec(["/no/such"], [], "/")));
        Assert.Contains("exec: \"/no/such\": stat /no/such: no such file or directory", e.Message);
        // Resolution uses the process's PATH: sleep is not in /nowhere.
        e = Assert.Throws<NetPortalException>(() => bed.Runtime.Start(sb, new ProcessSpec(["sleep", "1"], ["PATH=/nowhere"], "/")));
        Assert.Contains("exec: \"sleep\": executable file not found in $PATH", e.Message);
        e = Assert.Throws<NetPortalException>(() => bed.Runtime.Start(sb, new ProcessSpec(["sleep", "1"], [], "/no/such/dir")));
        Assert.Contains("chdir to cwd (\"/no/such/dir\")", e.Message);
        Assert.Equal("", File.ReadAllText(Path.Combine(sb.Directory, "log")));
        bed.Runtime.Destroy(sb);
        Assert.False(Directory.Exists(sb.Directory));
        Assert.False(MountsMention(sb.Directory));
    }

    [KernelFact]
    public void Create_Failure_LeavesNothingBehind()
    {
        using var bed = new SandboxTestBed();
        // A regular file is not a namespace: setns fails after the folder was made.
        var notNs = Path.Combine("/tmp", "nptest-notns-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(notNs, "");
        try
        {
            var id = NewId();
            var e = Assert.Throws<NetPortalException>(() => bed.Runtime.Create(Spec(id, notNs)));
            Assert.Equal(ErrorKind.Internal, e.Kind);
            Assert.Contains($"failed to create sandbox for container {id}", e.Message);
            Assert.False(Directory.Exists(Path.Combine(bed.StateDirectory, id)));
            Assert.False(MountsMention(Path.Combine(bed.StateDirectory, id)));
            Assert.True(File.Exists(notNs));
            Assert.Empty(bed.Runtime.ListSandboxes());

            var missing = Assert.Throws<NetPortalException>(() => bed.Runtime.Create(Spec(NewId(), "/tmp/nptest-does-not-exist")));
            Assert.Equal(ErrorKind.NotFound, missing.Kind);
            Assert.Equal(ErrorKind.InvalidParameter, Assert.Throws<NetPortalException>(() => bed.Runtime.Create(Spec("../xxxxxxxx"))).Kind);
        }
        finally
        {
            File.Delete(notNs);
        }
    }

    [KernelFact]
    public void Create_Duplicate_IsConflict()
    {
        using var bed = new SandboxTestBed();
        var id = NewId();
        bed.Create(Spec(id));
        Assert.Equal(ErrorKind.Conflict, Assert.Throws<NetPortalException>(() => bed.Runtime.Create(Spec(id))).Kind);
        Assert.Single(bed.Runtime.ListSandboxes());
    }

    [KernelFact]
    public void JoinMode_SeesManagedInterfaces_DestroyKeepsTheNamespace()
    {
        using var bed = new SandboxTestBed();
        var ns = Path.GetFileName(bed.Managed.Path);
        Ip.Must("-n", ns, "link", "add", "name", "npsbdummy0", "type", "bridge");
        var sb = bed.Create(Spec(NewId(), bed.Managed.Path));
        Assert.Equal(bed.Managed.Path, sb.Key);
        Assert.False(sb.OwnsNetwork);
        Assert.Contains("npsbdummy0", Must("nsenter", $"--net={sb.Key}", "ip", "-j", "link"));
        Assert.Equal("lo\nnpsbdummy0\n", InSandbox(sb, "ls", "/sys/class/net"));

        // Joining another sandbox's namespace (container:<x> mode) works the same way.
        var first = bed.Create(Spec(NewId()));
        var second = bed.Create(Spec(NewId(), first.Key));
        Assert.Equal("lo\n", InSandbox(second, "ls", "/sys/class/net"));
        Assert.Equal(Inode(first.Key), Inode(second.Key));

        bed.Runtime.Destroy(sb);
        bed.Runtime.Destroy(second);
        Assert.True(File.Exists(bed.Managed.Path));
        Assert.True(File.Exists(first.Key));
        Assert.Contains("npsbdummy0", Ip.Must("-n", ns, "link"));
    }

    [KernelFact]
    public async Task Destroy_RemovesMountsAndFolder_EvenFromOtherSandboxes()
    {
        using var bed = new SandboxTestBed();
        var a = bed.Create(Spec(NewId()));
        var b = bed.Create(Spec(NewId()));
        var h = bed.Start(b, "sleep", "30");
        Assert.True(MountsMention(a.Directory));

        bed.Runtime.Destroy(a);
        Assert.False(Directory.Exists(a.Directory));
        Assert.False(File.Exists(a.Key));
        Assert.False(MountsMention(a.Directory));
        Assert.False(MountsMention(a.Key));
        // The netns unmount propagated into b's mount namespace too (slave of the shared netns folder): nothing pins a's namespace.
        Assert.DoesNotContain(a.Key, File.ReadAllText($"/proc/{h.Pid}/mountinfo"));
        Assert.DoesNotContain(a.Directory, File.ReadAllText($"/proc/{h.Pid}/mountinfo"));
        Assert.Equal([b.Id], bed.Runtime.ListSandboxes());

        bed.Runtime.Signal(h, 9);
        Assert.Equal(128 + 9, await bed.Runtime.WaitAsync(h, CancellationToken.None).WaitAsync(Timeout));
        bed.Runtime.Destroy(b);
        Assert.False(MountsMention(b.Directory));
        Assert.Empty(bed.Runtime.ListSandboxes());
    }

    [KernelFact]
    public async Task ProcessOutlivesItsRuntime_AndIsAdoptedByANewOne()
    {
        using var bed = new SandboxTestBed();
        var sb = bed.Create(Spec(NewId()));
        var h = StartAndDrop(bed, sb);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var adopter = bed.NewRuntime();
        Assert.True(adopter.IsAlive(h));
        Assert.True(adopter.IsAlive(h with { }));
        Assert.False(adopter.IsAlive(h with { StartTime = h.StartTime + 1 })); // same PID, other incarnation
        var wait = adopter.WaitAsync(h, CancellationToken.None);
        await Task.Delay(200);
        Assert.False(wait.IsCompleted);

        // Cancelling one adopted wait does not disturb another.
        using var cts = new CancellationTokenSource();
        var cancelled = adopter.WaitAsync(h, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        adopter.Signal(h, SIGTERM);
        Assert.Equal(-1, await wait.WaitAsync(Timeout));
        Assert.False(adopter.IsAlive(h));
        Assert.Equal(-1, await adopter.WaitAsync(h, CancellationToken.None).WaitAsync(Timeout));
    }

    [KernelFact]
    public void UpdateFiles_KeepsTheInode_ContainerSeesNewContent()
    {
        using var bed = new SandboxTestBed();
        var sb = bed.Create(Spec(NewId()));
        var before = Inode(Path.Combine(sb.Directory, "hosts"));
        bed.Runtime.UpdateFiles(sb, "127.0.0.1\tlocalhost\n10.1.1.1\tpeer\n", "nameserver 10.1.1.53\noptions ndots:0\n");
        Assert.Equal(before, Inode(Path.Combine(sb.Directory, "hosts")));
        Assert.Equal("127.0.0.1\tlocalhost\n10.1.1.1\tpeer\n", InSandbox(sb, "cat", "/etc/hosts"));
        Assert.Equal("nameserver 10.1.1.53\noptions ndots:0\n", InSandbox(sb, "cat", "/etc/resolv.conf"));
        bed.Runtime.UpdateFiles(sb, "short\n", "x\n");
        Assert.Equal("short\n", InSandbox(sb, "cat", "/etc/hosts"));
    }

    [KernelFact]
    public void SetDefaultGateway_ReplacesAndRemovesDefaultRoutes()
    {
        using var bed = new SandboxTestBed();
        var sb = bed.Create(Spec(NewId()));
        void Ns(params string[] args) => Must("nsenter", [$"--net={sb.Key}", "ip", .. args]);
        Ns("link", "add", "name", "eth0", "type", "veth", "peer", "name", "eth0peer");
        Ns("link", "set", "eth0peer", "up");
        Ns("addr", "add", "10.77.0.2/24", "dev", "eth0");
        Ns("-6", "addr", "add", "fd77::2/64", "dev", "eth0", "nodad");
        Ns("link", "set", "eth0", "up");
        string Defaults(string family) => Must("nsenter", $"--net={sb.Key}", "ip", family, "route", "show", "default");

        bed.Runtime.SetDefaultGateway(sb, "eth0", "10.77.0.1", "fd77::1");
        Assert.Equal("default via 10.77.0.1 dev eth0", Defaults("-4").Trim());
        Assert.StartsWith("default via fd77::1 dev eth0 ", Assert.Single(Defaults("-6").Split('\n', StringSplitOptions.RemoveEmptyEntries)));

        bed.Runtime.SetDefaultGateway(sb, "eth0", "10.77.0.254", null);
        Assert.Equal("default via 10.77.0.254 dev eth0", Defaults("-4").Trim()); // replaced, not added
        Assert.Equal("", Defaults("-6"));

        bed.Runtime.SetDefaultGateway(sb, null, null, null);
        Assert.Equal("", Defaults("-4"));
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<NetPortalException>(() => bed.Runtime.SetDefaultGateway(sb, "nope0", "10.77.0.1", null)).Kind);
        Assert.Equal(ErrorKind.InvalidParameter, Assert.Throws<NetPortalException>(() => bed.Runtime.SetDefaultGateway(sb, "eth0", "fd77::1", null)).Kind);
    }

    private static ProcessHandle StartAndDrop(SandboxTestBed bed, SandboxInfo sb)
    {
        // A runtime of its own, dropped at once: nothing but the handle survives (as after a daemon restart).
        var starter = bed.NewRuntime();
        return starter.Start(sb, new ProcessSpec(["sleep", "30"], [], "/"));
    }

    internal static ulong Inode(string path) => ulong.Parse(Must("stat", "-L", "-c", "%i", path).Trim());

    private static int SessionId(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3]); // field 6: session
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
