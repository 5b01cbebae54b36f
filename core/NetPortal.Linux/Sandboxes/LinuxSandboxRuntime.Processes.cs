using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NetPortal.Core.Errors;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Sandboxes;

public sealed partial class LinuxSandboxRuntime
{
    // The container's command runs with stdout+stderr appended to the log and stdin from /dev/null. The log path is
    // a positional parameter in a shell variable (not exported), so the process's environment stays exactly Env;
    // a POSIX shell exports PWD on its own, so it is unset unless Env has it ($2 = 1).
    private const string StartScript = """l=$1; [ "$2" = 1 ] || unset PWD; shift 2; exec "$@" >>"$l" 2>&1 </dev/null""";

    /// <summary>Children of this instance: .NET reaps them (waitpid), so only it knows their exit codes.</summary>
    private readonly ConcurrentDictionary<ProcessHandle, Task<int>> _children = new();
    private static readonly TimeSpan ExitCodeRetention = TimeSpan.FromMinutes(5);

    public ProcessHandle Start(SandboxInfo sandbox, ProcessSpec process)
    {
        var clock = Stopwatch.StartNew();
        var env = BuildEnvironment(sandbox, process);
        CheckExecutable(process, env);
        // nsenter, setsid and sh each exec the next program without forking (setsid forks only for a process-group
        // leader, and a freshly spawned child is not one), so the PID we get is the container's process. setsid
        // gives it its own session: no controlling terminal, no SIGINT/SIGHUP from the daemon's terminal, and it
        // outlives the daemon (live-restore).
        var psi = NsenterStartInfo(sandbox, process, env);
        foreach (var a in new[] { _setsid, _shell, "-c", StartScript, "sh", Path.Combine(sandbox.Directory, "log"), env.ContainsKey("PWD") ? "1" : "0" })
            psi.ArgumentList.Add(a);
        foreach (var a in process.Args) psi.ArgumentList.Add(a);
        // Until sh's redirections apply, nsenter/setsid/sh errors go to these pipes; the command itself holds none of them.
        psi.RedirectStandardInput = psi.RedirectStandardOutput = psi.RedirectStandardError = true;

        var p = Process.Start(psi) ?? throw NetPortalException.Internal($"could not start {_nsenter}");
        p.StandardInput.Close();
        // Start time is fixed at fork and survives exec; read it before the process could exit and be reaped.
        var stat = ProcStat.Read(p.Id);
        var handle = new ProcessHandle(p.Id, stat?.StartTime ?? 0);
        var exited = WaitChildAsync(p, sandbox.Id);
        _children[handle] = exited;
        // Keep the exit code for late WaitAsync callers for a while, then forget it (no growth per container run).
        exited.ContinueWith(_ => Task.Delay(ExitCodeRetention).ContinueWith(_ => _children.TryRemove(handle, out Task<int>? _), TaskScheduler.Default),
            TaskScheduler.Default);
        // Not p.Id: a command that exits at once may already have been waited for and p disposed (Id then throws).
        _logger.LogDebug("sandbox {Id} started pid {Pid} in {Ms:F1} ms", sandbox.Id, handle.Pid, clock.Elapsed.TotalMilliseconds);
        return handle;
    }

    public async Task<int> WaitAsync(ProcessHandle process, CancellationToken ct)
    {
        if (_children.TryGetValue(process, out var child)) return await child.WaitAsync(ct).ConfigureAwait(false);
        // Not our child (adopted after a restart): the exit status went to its real parent (init or a subreaper),
        // so only the exit itself is observable, through a pidfd.
        if (!IsAlive(process)) return -1;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var exited = PidfdWaiter.Shared.WaitAsync(process.Pid, cts.Token);
        // The PID may have been reused between the check and pidfd_open: re-check against the start time.
        if (!IsAlive(process))
        {
            cts.Cancel();
            return -1;
        }
        await exited.ConfigureAwait(false);
        return -1;
    }

    public bool IsAlive(ProcessHandle process) => ProcStat.IsAlive(process.Pid, process.StartTime);

    public void Signal(ProcessHandle process, int signal)
    {
        // Checking the start time first avoids signalling an unrelated process that reused the PID.
        if (!IsAlive(process)) return;
        var error = SandboxSyscalls.Kill(process.Pid, signal);
        if (error is not 0 and not Errno.ESRCH)
            throw NetPortalException.Internal($"cannot kill process {process.Pid} with signal {signal}: {Errno.Describe(error)}");
    }

    public IExecProcess Exec(SandboxInfo sandbox, ProcessSpec process, bool attachStdin)
    {
        var env = BuildEnvironment(sandbox, process);
        CheckExecutable(process, env);
        // No shell here: nsenter execvp()s the command itself (PATH from env), one fork+two execs per exec.
        var psi = NsenterStartInfo(sandbox, process, env, ExecNetworkNamespace(sandbox));
        foreach (var a in process.Args) psi.ArgumentList.Add(a);
        psi.RedirectStandardInput = psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        var p = Process.Start(psi) ?? throw NetPortalException.Internal($"could not start {_nsenter}");
        // Without stdin the command reads EOF at once (a closed pipe), like </dev/null.
        if (!attachStdin) p.StandardInput.Close();
        return new SandboxExecProcess(p, attachStdin);
    }

    private ProcessStartInfo NsenterStartInfo(SandboxInfo sandbox, ProcessSpec process, Dictionary<string, string> env, string? netns = null)
    {
        var psi = new ProcessStartInfo(_nsenter) { UseShellExecute = false };
        psi.ArgumentList.Add($"--net={netns ?? sandbox.Key}");
        psi.ArgumentList.Add($"--uts={sandbox.Directory}/uts");
        psi.ArgumentList.Add($"--mount={sandbox.Directory}/mnt");
        // --wd applies after entering the mount namespace.
        psi.ArgumentList.Add($"--wd={(string.IsNullOrEmpty(process.WorkingDir) ? "/" : process.WorkingDir)}");
        psi.ArgumentList.Add("--");
        psi.Environment.Clear();
        foreach (var (k, v) in env) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>
    /// The network namespace an exec joins. A container:&lt;x&gt; joiner keeps the namespace its process holds after x
    /// stopped (x's netns file is gone) or started again (a new namespace at the same path); as runc, exec then joins
    /// the namespace of a process already in the sandbox, found by its mount namespace (the sandbox's own).
    /// </summary>
    private string ExecNetworkNamespace(SandboxInfo sandbox)
    {
        if (sandbox.OwnsNetwork || sandbox.Key == _managed.Path) return sandbox.Key;
        var mnt = Path.Combine(sandbox.Directory, "mnt");
        // mountinfo(5): field 4 is the root within the mounted filesystem (nsfs: "mnt:[inode]"), field 5 the mount point.
        var id = File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')).Where(f => f.Length > 4 && f[4] == mnt).Select(f => f[3]).LastOrDefault();
        if (id is null || !id.StartsWith("mnt:[", StringComparison.Ordinal)) return sandbox.Key;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 0 || !name.All(char.IsAsciiDigit)) continue;
            string? target;
            try { target = new FileInfo(Path.Combine(dir, "ns", "mnt")).LinkTarget; } // readlink(2): "mnt:[inode]"
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (target == id) return Path.Combine(dir, "ns", "net");
        }
        return sandbox.Key;
    }

    /// <summary>Exactly Env (later duplicates win), plus PATH and HOSTNAME when absent, as Docker does.</summary>
    private static Dictionary<string, string> BuildEnvironment(SandboxInfo sandbox, ProcessSpec process)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in process.Env)
        {
            var eq = kv.IndexOf('=');
            if (eq <= 0) continue; // "KEY" without '=' is a client-side lookup in Docker; nothing to pass
            env[kv[..eq]] = kv[(eq + 1)..];
        }
        env.TryAdd("PATH", DefaultPath);
        if (!env.ContainsKey("HOSTNAME"))
        {
            var hostnameFile = Path.Combine(sandbox.Directory, "hostname");
            if (File.Exists(hostnameFile)) env["HOSTNAME"] = File.ReadAllText(hostnameFile).TrimEnd('\n');
        }
        return env;
    }

    /// <summary>
    /// The command runs from the host filesystem, so resolve it there (execvp's rule: a name with '/' is a path,
    /// else each PATH entry) and fail before starting anything, with runc's wording.
    /// </summary>
    private static void CheckExecutable(ProcessSpec process, Dictionary<string, string> env)
    {
        if (process.Args.Count == 0 || process.Args[0].Length == 0) throw NetPortalException.InvalidParameter("no command specified");
        // nsenter would fail after the fork with only an exit status; check first and answer with runc's wording.
        if (!string.IsNullOrEmpty(process.WorkingDir) && !Directory.Exists(process.WorkingDir))
            throw NetPortalException.Internal($"failed to create task for container: chdir to cwd (\"{process.WorkingDir}\") set in config.json failed: no such file or directory");
        var name = process.Args[0];
        if (name.Contains('/'))
        {
            var full = Path.IsPathRooted(name) ? name : Path.Combine(string.IsNullOrEmpty(process.WorkingDir) ? "/" : process.WorkingDir, name);
            if (!File.Exists(full)) throw NetPortalException.Internal($"failed to create task for container: exec: \"{name}\": stat {name}: no such file or directory");
            if (!IsExecutable(full)) throw NetPortalException.Internal($"failed to create task for container: exec: \"{name}\": permission denied");
            return;
        }
        foreach (var dir in env["PATH"].Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (File.Exists(candidate) && IsExecutable(candidate)) return;
        }
        throw NetPortalException.Internal($"failed to create task for container: exec: \"{name}\": executable file not found in $PATH");
    }

    private static bool IsExecutable(string path) =>
        (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private async Task<int> WaitChildAsync(Process p, string sandboxId)
    {
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync().ConfigureAwait(false);
        // .NET reports a signal death as 128+signal, Docker's convention (verified by the SIGTERM test).
        var code = p.ExitCode;
        var text = ((await err.ConfigureAwait(false)) + (await output.ConfigureAwait(false))).Trim();
        if (text.Length > 0) _logger.LogWarning("sandbox {Id} pid {Pid} before exec: {Text}", sandboxId, p.Id, text);
        p.Dispose();
        return code;
    }
}
