using Microsoft.Extensions.Logging;
using NetPortal.Core.Errors;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Core.Containers;

public sealed partial class ContainerService
{
    private const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>False when it was already running (HTTP 304).</summary>
    public async Task<bool> StartAsync(string term, CancellationToken ct = default)
    {
        var id = Inspect(term).Id;
        using (await LockAsync(id, ct))
        {
            var c = Current(id);
            if (c.State.Running) return false;
            var started = await StartLockedAsync(c, ct);
            Emit(started, "start");
            return true;
        }
    }

    private async Task<Container> StartLockedAsync(Container c, CancellationToken ct)
    {
        var undo = new Stack<(string What, Action Undo)>();
        try
        {
            var (join, provider) = ResolveNamespaceToJoin(c);
            var planned = PlanEndpoints(c, undo);
            var gateway = ChooseGateway(planned);
            var spec = new SandboxSpec(c.Id, provider?.Hostname ?? c.Hostname, c.Spec.Domainname, join,
                HostsFor(provider ?? c, planned.Select(p => p.Endpoint)), ResolvConfFor(provider ?? c, planned.Select(p => p.Network)));
            var sandbox = runtime.Create(spec);
            undo.Push(("destroy sandbox", () => runtime.Destroy(sandbox)));

            var attachments = c.Attachments.ToList();
            foreach (var p in planned)
            {
                var joined = EndpointDriverFor(p.Network).Join(p.Network, p.Endpoint with { IsDefaultGateway = p == gateway }, sandbox);
                undo.Push(($"leave {p.Network.Name}", () => EndpointDriverFor(p.Network).Leave(p.Network, joined, sandbox)));
                attachments[p.Index] = attachments[p.Index] with { NetworkId = p.Network.Id, NetworkName = p.Network.Name, Endpoint = joined };
            }
            if (gateway is not null)
            {
                runtime.SetDefaultGateway(sandbox, gateway.Endpoint.InterfaceName, NullIfEmpty(gateway.Endpoint.Gateway), NullIfEmpty(gateway.Endpoint.GatewayIPv6));
                var a = attachments[gateway.Index];
                attachments[gateway.Index] = a with { Endpoint = PublishPorts(c, gateway.Network, a.Endpoint!, undo) };
            }
            if (planned.Any(p => !p.Network.IsPredefined))
            {
                resolver.Attach(sandbox, c.Id, this);
                undo.Push(("stop embedded DNS", () => resolver.Detach(sandbox, c.Id)));
            }

            var handle = runtime.Start(sandbox, ProcessFor(c, attachments));
            var running = c with
            {
                Attachments = attachments,
                Sandbox = sandbox,
                State = new ContainerState { Status = "running", Pid = handle.Pid, PidStartTime = handle.StartTime, StartedAt = time.GetUtcNow(), FinishedAt = c.State.FinishedAt },
            };
            _exits[c.Id] = _exits.TryGetValue(c.Id, out var waiting) && !waiting.Task.IsCompleted
                ? waiting
                : new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                await SaveAsync(running, CancellationToken.None);
            }
            catch
            {
                runtime.Signal(handle, Signals.SigKill);
                throw;
            }
            _ = MonitorAsync(c.Id, handle);
            foreach (var p in planned) EmitNetwork("connect", p.Network.Id, c.Id);
            log.LogInformation("started container {Name} (pid {Pid}, {Endpoints} endpoints)", c.Name, handle.Pid, planned.Count);
            return running;
        }
        catch (Exception failure)
        {
            while (undo.TryPop(out var step))
            {
                try { step.Undo(); }
                catch (Exception e) { log.LogWarning(e, "undo of {Step} for container {Name} failed after: {Cause}", step.What, c.Name, failure.Message); }
            }
            throw;
        }
    }

    /// <summary>Host mode joins the managed namespace; container:&lt;x&gt; joins x's, which must be running.</summary>
    private (string? Join, Container? Provider) ResolveNamespaceToJoin(Container c)
    {
        if (c.NetworkMode == "host") return (host.ManagedNetnsPath, null);
        if (!c.NetworkMode.StartsWith("container:", StringComparison.Ordinal)) return (null, null);
        var providerId = c.NetworkMode["container:".Length..];
        if (!_containers.TryGetValue(providerId, out var provider))
            throw NetPortalException.NotFound($"No such container: {providerId}");
        if (!provider.State.Running || provider.Sandbox is null)
            throw NetPortalException.Conflict($"cannot join network of a non running container: {providerId}");
        return (provider.Sandbox.Key, provider);
    }

    private ProcessSpec ProcessFor(Container c, IReadOnlyList<Attachment> attachments)
    {
        var env = new List<string>();
        if (!c.Spec.Env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal))) env.Add(DefaultPath);
        env.Add("HOSTNAME=" + c.Hostname);
        env.AddRange(LinkEnvironment(c, attachments));
        env.AddRange(c.Spec.Env);
        if (!env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal))) env.Add("HOME=/root");
        return new ProcessSpec([.. c.Spec.Entrypoint, .. c.Spec.Cmd], env, c.Spec.WorkingDir);
    }

    private async Task MonitorAsync(string id, ProcessHandle handle)
    {
        int code;
        try
        {
            code = await runtime.WaitAsync(handle, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogError(e, "waiting for container {Id} failed", id);
            code = 255;
        }
        if (code < 0) code = 255; // an adopted process's status cannot be read by a non-parent
        using (await LockAsync(id, CancellationToken.None))
        {
            if (!_containers.TryGetValue(id, out var c) || c.State.Pid != handle.Pid || !c.State.Running) return;
            await CleanUpAsync(c, code, emitDie: true, CancellationToken.None);
        }
    }

    /// <summary>The process ended: every endpoint leaves, the sandbox goes, the state records the exit.</summary>
    private async Task CleanUpAsync(Container c, int exitCode, bool emitDie, CancellationToken ct)
    {
        var attachments = c.Attachments.ToList();
        for (var i = attachments.Count - 1; i >= 0; i--)
        {
            var a = attachments[i];
            if (a.Endpoint is null) continue;
            LeaveQuietly(c, a, a.Endpoint);
            attachments[i] = a with { Endpoint = null };
        }
        if (c.Sandbox is not null)
        {
            try { resolver.Detach(c.Sandbox, c.Id); }
            catch (Exception e) { log.LogWarning(e, "stopping the embedded DNS of {Name} failed", c.Name); }
            try { runtime.Destroy(c.Sandbox); }
            catch (Exception e) { log.LogWarning(e, "removing the sandbox of {Name} failed", c.Name); }
        }
        var exited = c with
        {
            Attachments = attachments,
            Sandbox = null,
            State = c.State with { Status = "exited", ExitCode = exitCode, Pid = 0, PidStartTime = 0, FinishedAt = time.GetUtcNow() },
        };
        await SaveAsync(exited, ct);
        foreach (var execId in _execs.Where(e => e.Value.ContainerId == c.Id && e.Value.Running).Select(e => e.Key)) KillExec(execId);
        if (emitDie) Emit(exited, "die", new Dictionary<string, string> { ["exitCode"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (_exits.TryGetValue(c.Id, out var tcs)) tcs.TrySetResult(exitCode);
        log.LogInformation("container {Name} exited with {Code}", c.Name, exitCode);
    }

    private void LeaveQuietly(Container c, Attachment a, Endpoint e)
    {
        UnpublishQuietly(TryNetwork(a.NetworkId), e);
        try
        {
            var n = networks.Inspect(a.NetworkId);
            if (c.Sandbox is not null) EndpointDriverFor(n).Leave(n, e, c.Sandbox);
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "endpoint {Endpoint} of {Name} on {Network} could not leave cleanly", e.Id, c.Name, a.NetworkName);
        }
        ReleaseAddresses(a.NetworkId, e);
        endpoints.Remove(a.NetworkId, e.Id);
        EmitNetwork("disconnect", a.NetworkId, c.Id);
    }

    /// <summary>Signal (default SIGTERM), then SIGKILL after the timeout (default 10 s). False when not running (304).</summary>
    public async Task<bool> StopAsync(string term, int? timeoutSeconds, string? signal, CancellationToken ct = default)
    {
        var c = Inspect(term);
        var sig = Signals.Parse(signal, Signals.SigTerm);
        Task<int> exit;
        using (await LockAsync(c.Id, ct))
        {
            c = Current(c.Id);
            if (!c.State.Running) return false;
            exit = _exits[c.Id].Task;
            runtime.Signal(Handle(c), sig);
        }
        var timeout = timeoutSeconds is { } t && t >= 0 ? TimeSpan.FromSeconds(t) : timeoutSeconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(10);
        try
        {
            await exit.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            log.LogInformation("container {Name} did not stop within {Timeout}; killing it", c.Name, timeout);
            runtime.Signal(Handle(c), Signals.SigKill);
            await exit.WaitAsync(ct);
        }
        Emit(Current(c.Id), "stop");
        return true;
    }

    public async Task RestartAsync(string term, int? timeoutSeconds, string? signal, CancellationToken ct = default)
    {
        var c = Inspect(term);
        await StopAsync(c.Id, timeoutSeconds, signal, ct);
        using (await LockAsync(c.Id, ct))
        {
            var current = Current(c.Id);
            if (!current.State.Running)
            {
                var started = await StartLockedAsync(current, ct);
                Emit(started, "start");
            }
        }
        Emit(Current(c.Id), "restart");
    }

    public async Task KillAsync(string term, string? signal, CancellationToken ct = default)
    {
        var c = Inspect(term);
        var sig = Signals.Parse(signal, Signals.SigKill);
        Task<int>? exit = null;
        using (await LockAsync(c.Id, ct))
        {
            c = Current(c.Id);
            if (!c.State.Running) throw NetPortalException.Conflict($"Cannot kill container: {term}: Container {c.Id} is not running");
            runtime.Signal(Handle(c), sig);
            if (sig == Signals.SigKill) exit = _exits[c.Id].Task;
            Emit(c, "kill", new Dictionary<string, string> { ["signal"] = sig.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        // As dockerd: after SIGKILL the call returns once the container is really down.
        if (exit is not null) await exit.WaitAsync(TimeSpan.FromSeconds(10), ct).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>condition: not-running (default), next-exit, removed; returns the exit code.</summary>
    public async Task<int> WaitAsync(string term, string? condition, CancellationToken ct = default)
    {
        var c = Inspect(term);
        switch (condition)
        {
            case null or "" or "not-running":
                if (!Current(c.Id).State.Running) return Current(c.Id).State.ExitCode;
                return await _exits[c.Id].Task.WaitAsync(ct);
            case "next-exit":
                var next = _exits.GetOrAdd(c.Id, _ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
                if (next.Task.IsCompleted)
                {
                    next = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _exits[c.Id] = next;
                }
                return await next.Task.WaitAsync(ct);
            case "removed":
                await _removed.GetOrAdd(c.Id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(ct);
                return c.State.ExitCode;
            default:
                throw NetPortalException.InvalidParameter($"invalid condition: \"{condition}\"");
        }
    }

    public async Task RemoveAsync(string term, bool force, CancellationToken ct = default)
    {
        var c = Inspect(term);
        if (c.State.Running)
        {
            if (!force)
                throw NetPortalException.Conflict($"cannot remove container \"/{c.Name}\": container is running: stop the container before removing or force remove");
            Task<int> exit;
            using (await LockAsync(c.Id, ct))
            {
                c = Current(c.Id);
                exit = _exits[c.Id].Task;
                if (c.State.Running) runtime.Signal(Handle(c), Signals.SigKill);
            }
            await exit.WaitAsync(ct);
        }
        using (await LockAsync(c.Id, ct))
        {
            c = Current(c.Id);
            if (c.State.Running) throw NetPortalException.Conflict($"cannot remove container \"/{c.Name}\": container is running: stop the container before removing or force remove");
            await store.RemoveAsync(c.Id, ct);
            _containers.TryRemove(c.Id, out _);
            _exits.TryRemove(c.Id, out _);
            foreach (var e in _execs.Where(e => e.Value.ContainerId == c.Id).Select(e => e.Key).ToList()) _execs.TryRemove(e, out _);
            Emit(c, "destroy");
            if (_removed.TryRemove(c.Id, out var tcs)) tcs.TrySetResult();
        }
        _locks.TryRemove(c.Id, out _);
    }

    private Container Current(string id) =>
        _containers.TryGetValue(id, out var c) ? c : throw NetPortalException.NotFound($"No such container: {id}");

    private static ProcessHandle Handle(Container c) => new(c.State.Pid, c.State.PidStartTime);

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
