using System.Diagnostics;
using System.Text;
using NetPortal.Core.Errors;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Tests.Kernel;
using static NetPortal.Linux.Tests.Sandboxes.SandboxTestBed;

namespace NetPortal.Linux.Tests.Sandboxes;

public sealed class SandboxExecKernelTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [KernelFact]
    public async Task Exec_Echo_StdoutAndExitZero()
    {
        using var bed = new SandboxTestBed();
        var sb = bed.Create(Spec(NewId()));
        await using var p = bed.Runtime.Exec(sb, new ProcessSpec(["echo", "hi"], [], "/"), attachStdin: false);
        Assert.Null(p.StandardInput);
        var (code, stdout, stderr) = await Collect(p);
        Assert.Equal((0, "hi\n", ""), (code, stdout, stderr));
    }

    [KernelFact]
    public async Task Exec_StderrAndExitCode()
    {
        using var bed = new SandboxTestBed();
        var sb = bed.Create(Spec(NewId()));
        await using var p = bed.Runtime.Exec(sb, new ProcessSpec(["sh", "-c", "echo err >&2; exit 5"], [], "/"), attachStdin: false);
        Assert.Equal((5, "", "err\n"), await Collect(p));
    }

    [KernelFact]
    public async Task Exec_StdinIsPiped_WhenAsked()
    {
        using var bed = new SandboxTestBed();
        var sb = bed.Create(Spec(NewId()));
        await using var p = bed.Runtime.Exec(sb, new ProcessSpec(["cat"], [], "/"), attachStdin: true);
        Assert.NotNull(p.StandardInput);
        await p.StandardInput!.WriteAsync(Encoding.UTF8.GetBytes("line one\nline two\n"));
        p.StandardInput.Close();
        Assert.Equal((0, "line one\nline two\n", ""), await Collect(p));

        // Without stdin, a reader sees EOF at once.
        await using var q = bed.Runtime.Exec(sb, new ProcessSpec(["cat"], [], "/"), attachStdin: false);
        Assert.Equal((0, "", ""), await Collect(q));
    }

    [KernelFact]
    public async Task Exec_RunsInTheSandbox_WithExactEnvAndWorkingDir()
    {
        using var bed = new SandboxTestBed();
        var id = NewId();
        var sb = bed.Create(Spec(id));
        await using var p = bed.Runtime.Exec(sb, new ProcessSpec(["sh", "-c", "hostname; ls /sys/class/net; pwd; env | sort"], ["X=1"], "/tmp"), attachStdin: false);
        var (code, stdout, _) = await Collect(p);
        Assert.Equal(0, code);
        Assert.StartsWith($"host-{id[..6]}\nlo\n/tmp\n", stdout);
        // dash adds PWD (it is a shell); the rest is exactly Env + PATH + HOSTNAME.
        var env = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(3).Where(l => !l.StartsWith("PWD=")).ToArray();
        Assert.Equal(new[] { $"HOSTNAME=host-{id[..6]}", "PATH=" + Linux.Sandboxes.LinuxSandboxRuntime.DefaultPath, "X=1" }, env);
    }

    [KernelFact]
    public void Exec_UnknownCommand_Fails()
    {
        using var bed = new SandboxTestBed();
        var sb = bed.Create(Spec(NewId()));
        var e = Assert.Throws<NetPortalException>(() => bed.Runtime.Exec(sb, new ProcessSpec(["nosuch"], [], "/"), false));
        Assert.Contains("exec: \"nosuch\": executable file not found in $PATH", e.Message);
    }

    [KernelFact]
    public async Task Timings()
    {
        using var bed = new SandboxTestBed();
        bed.Create(Spec(NewId())); // warm-up (JIT, state mounts)
        await (await WarmExec(bed)).DisposeAsync();

        var sw = Stopwatch.StartNew();
        var sb = bed.Create(Spec(NewId()));
        var create = sw.Elapsed.TotalMilliseconds;

        sw.Restart();
        var h = bed.Start(sb, "sleep", "30");
        var start = sw.Elapsed.TotalMilliseconds;
        await LinuxSandboxRuntimeKernelTests.WaitUntil(() => File.ReadAllText($"/proc/{h.Pid}/comm").Trim() == "sleep");
        var startToExec = sw.Elapsed.TotalMilliseconds;

        var execs = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            sw.Restart();
            await using var p = bed.Runtime.Exec(sb, new ProcessSpec(["true"], [], "/"), false);
            await Collect(p);
            execs.Add(sw.Elapsed.TotalMilliseconds);
        }
        execs.Sort();

        sw.Restart();
        bed.Runtime.Signal(h, 9);
        await bed.Runtime.WaitAsync(h, CancellationToken.None).WaitAsync(Timeout);
        bed.Runtime.Destroy(sb);
        var destroy = sw.Elapsed.TotalMilliseconds;
        output.WriteLine($"create {create:F1} ms; start {start:F1} ms (command running after {startToExec:F1} ms); " +
                         $"exec round trip median {execs[execs.Count / 2]:F1} ms, min {execs[0]:F1}, max {execs[^1]:F1}; kill+wait+destroy {destroy:F1} ms");

    }

    private static async Task<IExecProcess> WarmExec(SandboxTestBed bed)
    {
        var sb = bed.Create(Spec(NewId()));
        var p = bed.Runtime.Exec(sb, new ProcessSpec(["true"], [], "/"), false);
        await Collect(p);
        return p;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Collect(IExecProcess p)
    {
        var o = new StreamReader(p.StandardOutput).ReadToEndAsync();
        var e = new StreamReader(p.StandardError).ReadToEndAsync();
        var code = await p.Exited.WaitAsync(Timeout);
        return (code, await o.WaitAsync(Timeout), await e.WaitAsync(Timeout));
    }
}
