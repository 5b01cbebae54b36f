using System.Collections.Concurrent;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Api.Tests.Infrastructure;

/// <summary>
/// Sandboxes and processes without a kernel. A started process runs until <see cref="Exit"/> or a terminating
/// signal (Signal completes it with 128+signal unless the signal is listed in <see cref="IgnoredSignals"/>);
/// Exec hands back a <see cref="FakeExecProcess"/> driven by <see cref="ExecScript"/>.
/// </summary>
public sealed class FakeSandboxRuntime : ISandboxRuntime
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource<int>> _processes = new();
    private readonly ConcurrentDictionary<string, SandboxInfo> _sandboxes = new();
    private readonly ConcurrentQueue<(int Pid, int Signal)> _signals = new();
    private readonly ConcurrentQueue<FakeExecProcess> _execs = new();
    private int _nextPid = 1000;

    /// <summary>What an exec does; the default writes nothing and exits 0.</summary>
    public Func<ProcessSpec, FakeExecProcess, Task> ExecScript { get; set; } = (_, p) =>
    {
        p.Exit(0);
        return Task.CompletedTask;
    };

    /// <summary>Signals that do not end a process (e.g. add 15 to make stop wait for its timeout).</summary>
    public ConcurrentBag<int> IgnoredSignals { get; } = [];

    public IReadOnlyList<(int Pid, int Signal)> Signals => _signals.ToArray();
    public IReadOnlyList<FakeExecProcess> Execs => _execs.ToArray();
    public IReadOnlyCollection<SandboxInfo> Sandboxes => _sandboxes.Values.ToList();
    public ConcurrentQueue<ProcessSpec> Started { get; } = new();

    public SandboxInfo Create(SandboxSpec spec)
    {
        var id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var info = new SandboxInfo(id, spec.JoinNetworkNamespace ?? $"/run/netportal/netns/{spec.ContainerId[..12]}",
            $"/run/netportal/containers/{spec.ContainerId}", spec.JoinNetworkNamespace is null);
        _sandboxes[spec.ContainerId] = info;
        return info;
    }

    public void UpdateFiles(SandboxInfo sandbox, string hosts, string resolvConf) { }

    public ProcessHandle Start(SandboxInfo sandbox, ProcessSpec process)
    {
        var pid = Interlocked.Increment(ref _nextPid);
        _processes[pid] = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Started.Enqueue(process);
        return new ProcessHandle(pid, (ulong)pid);
    }

    public Task<int> WaitAsync(ProcessHandle process, CancellationToken ct) =>
        _processes.TryGetValue(process.Pid, out var p) ? p.Task.WaitAsync(ct) : Task.FromResult(-1);

    public bool IsAlive(ProcessHandle process) => _processes.TryGetValue(process.Pid, out var p) && !p.Task.IsCompleted;

    public void Signal(ProcessHandle process, int signal)
    {
        _signals.Enqueue((process.Pid, signal));
        if (IgnoredSignals.Contains(signal) && signal != 9) return;
        if (_processes.TryGetValue(process.Pid, out var p)) p.TrySetResult(128 + signal);
        foreach (var e in _execs.Where(e => e.Pid == process.Pid)) e.Exit(128 + signal);
    }

    /// <summary>Ends the container's main process (the most recent one when <paramref name="pid"/> is 0) with a code.</summary>
    public void Exit(int exitCode, int pid = 0)
    {
        var key = pid != 0 ? pid : _processes.Keys.Where(k => !_processes[k].Task.IsCompleted).DefaultIfEmpty(0).Max();
        if (_processes.TryGetValue(key, out var p)) p.TrySetResult(exitCode);
    }

    public IExecProcess Exec(SandboxInfo sandbox, ProcessSpec process, bool attachStdin)
    {
        var exec = new FakeExecProcess(Interlocked.Increment(ref _nextPid), attachStdin, process);
        _execs.Enqueue(exec);
        _ = Task.Run(() => ExecScript(process, exec));
        return exec;
    }

    public void SetDefaultGateway(SandboxInfo sandbox, string? interfaceName, string? gatewayIPv4, string? gatewayIPv6) { }

    public void Destroy(SandboxInfo sandbox)
    {
        foreach (var (k, v) in _sandboxes)
            if (v.Id == sandbox.Id) _sandboxes.TryRemove(k, out _);
    }

    public IReadOnlyList<string> ListSandboxes() => _sandboxes.Keys.ToList();

    public void DestroyOrphan(string containerId) => _sandboxes.TryRemove(containerId, out _);
}
