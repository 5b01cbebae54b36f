using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Namespaces;
using NetPortal.Linux.Sandboxes;

namespace NetPortal.Linux.Tests.Sandboxes;

/// <summary>
/// A temp state directory under /tmp, a managed namespace nptest-sb-RAND and a runtime; Dispose kills what tests
/// started, destroys leftover sandboxes, unmounts the state binds and deletes everything.
/// </summary>
internal sealed class SandboxTestBed : IDisposable
{
    public string StateDirectory { get; } = "/tmp/nptest-sb-" + Guid.NewGuid().ToString("N")[..10];
    public NetNamespace Managed { get; }
    public LinuxSandboxRuntime Runtime { get; }
    private readonly List<SandboxInfo> _sandboxes = [];
    private readonly List<ProcessHandle> _processes = [];

    public SandboxTestBed()
    {
        Managed = NetNamespace.Open("nptest-sb-" + Guid.NewGuid().ToString("N")[..8]);
        Runtime = NewRuntime();
    }

    public LinuxSandboxRuntime NewRuntime() => new(StateDirectory, Managed, NullLogger<LinuxSandboxRuntime>.Instance);

    public static string NewId() => (Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"))[..64];

    public static SandboxSpec Spec(string id, string? join = null) =>
        new(id, "host-" + id[..6], "example.test", join, $"127.0.0.1\tlocalhost\n10.9.9.9\thost-{id[..6]}\n", "nameserver 10.9.9.53\n");

    public SandboxInfo Create(SandboxSpec spec)
    {
        var sb = Runtime.Create(spec);
        _sandboxes.Add(sb);
        return sb;
    }

    public ProcessHandle Start(SandboxInfo sb, params string[] args) => Start(sb, [], args);

    public ProcessHandle Start(SandboxInfo sb, string[] env, params string[] args)
    {
        var h = Runtime.Start(sb, new ProcessSpec(args, env, "/"));
        _processes.Add(h);
        return h;
    }

    /// <summary>Runs a host tool in the sandbox's namespaces (verification only).</summary>
    public static string InSandbox(SandboxInfo sb, params string[] args) =>
        Must("nsenter", [$"--net={sb.Key}", $"--uts={sb.Directory}/uts", $"--mount={sb.Directory}/mnt", "--", .. args]);

    public static string Must(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {p.ExitCode}: {e}");
        return o.Result;
    }

    public static bool MountsMention(string path) => File.ReadLines("/proc/self/mountinfo").Any(l => l.Contains(path));

    public void Dispose()
    {
        foreach (var h in _processes) Runtime.Signal(h, 9);
        foreach (var sb in _sandboxes)
        {
            try { Runtime.Destroy(sb); } catch (Exception) { }
        }
        Managed.Delete();
        foreach (var m in new[] { Path.Combine(StateDirectory, "netns"), StateDirectory })
        {
            try { Native.Unmount(m, Native.MNT_DETACH); } catch (NetPortal.Linux.Netlink.NetlinkException) { }
        }
        if (Directory.Exists(StateDirectory)) Directory.Delete(StateDirectory, recursive: true);
    }
}
