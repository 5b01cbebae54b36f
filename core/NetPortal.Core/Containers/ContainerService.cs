using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NetPortal.Core.Daemon;
using NetPortal.Core.Dns;
using NetPortal.Core.Drivers;
using NetPortal.Core.Endpoints;
using NetPortal.Core.Errors;
using NetPortal.Core.Events;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;
using NetPortal.Core.Ports;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Core.Containers;

/// <summary>
/// Container use cases (create, start, stop, kill, restart, wait, remove, list, inspect, connect, disconnect, exec).
/// A container is a network sandbox with a command running inside (see ISandboxRuntime). Each container has its own
/// lock, so a slow stop of one never holds up another; the record map is swapped atomically for readers.
/// </summary>
public sealed partial class ContainerService(
    IContainerStore store,
    NetworkService networks,
    IIpam ipam,
    DriverRegistry drivers,
    ISandboxRuntime runtime,
    EndpointRegistry endpoints,
    IManagedHost host,
    PortAllocator ports,
    IPortPublisher publisher,
    IEmbeddedResolver resolver,
    EventBus events,
    DaemonOptions options,
    TimeProvider time,
    ILogger<ContainerService> log) : IDnsDirectory
{
    private readonly ConcurrentDictionary<string, Container> _containers = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<string, ExecInstance> _execs = new();
    /// <summary>Completed when the container's current run ends (state already recorded); replaced at each start.</summary>
    private readonly ConcurrentDictionary<string, TaskCompletionSource<int>> _exits = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _removed = new();
    private readonly SemaphoreSlim _names = new(1, 1);

    public IReadOnlyCollection<Container> All => _containers.Values.ToList();

    /// <summary>Docker's lookup: exact id, exact name (with or without "/"), then unique id prefix.</summary>
    public Container Inspect(string term)
    {
        if (string.IsNullOrEmpty(term)) throw NetPortalException.NotFound($"No such container: {term}");
        if (_containers.TryGetValue(term, out var c)) return c;
        var name = term.TrimStart('/');
        foreach (var x in _containers.Values) if (x.Name == name) return x;
        var byPrefix = _containers.Values.Where(x => x.Id.StartsWith(term, StringComparison.Ordinal)).ToList();
        if (byPrefix.Count == 1) return byPrefix[0];
        if (byPrefix.Count > 1) throw NetPortalException.InvalidParameter($"multiple IDs found with provided prefix: {term}");
        throw NetPortalException.NotFound($"No such container: {term}");
    }

    /// <summary>Loads the records; adopts sandboxes whose process survived the daemon restart and cleans the others.</summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        foreach (var c in await store.LoadAllAsync(ct)) _containers[c.Id] = c;
        var known = _containers.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in runtime.ListSandboxes().Where(id => !known.Contains(id)))
        {
            log.LogInformation("reconcile: removing sandbox {Id} that no container owns", orphan);
            TryDestroyOrphan(orphan);
        }
        // Providers first: a container:<x> joiner needs x adopted before it.
        foreach (var c in _containers.Values.OrderBy(c => c.NetworkMode.StartsWith("container:", StringComparison.Ordinal)))
        {
            if (c.State.Status != "running" || c.Sandbox is null) continue;
            var handle = new ProcessHandle(c.State.Pid, c.State.PidStartTime);
            if (runtime.IsAlive(handle))
            {
                foreach (var a in c.Attachments.Where(a => a.Endpoint is not null))
                {
                    RestoreAddresses(a.NetworkId, a.Endpoint!);
                    ports.Restore(a.Endpoint!.Ports);
                    RepublishAdopted(c, a);
                    endpoints.Add(a.NetworkId, Active(c, a.Endpoint!));
                }
                // The resolver's sockets died with the old daemon process; open them again in the sandbox.
                if (UsesEmbeddedDns(c)) TryAttachResolver(c);
                _exits[c.Id] = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                _ = MonitorAsync(c.Id, handle);
                log.LogInformation("adopted running container {Name} (pid {Pid})", c.Name, c.State.Pid);
            }
            else
            {
                log.LogInformation("container {Name} exited while the daemon was down; cleaning its sandbox", c.Name);
                await CleanUpAsync(c, exitCode: 255, emitDie: false, CancellationToken.None);
            }
        }
    }

    private void TryDestroyOrphan(string containerId)
    {
        try
        {
            runtime.DestroyOrphan(containerId);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "could not remove orphan sandbox {Id}", containerId);
        }
    }

    private void RestoreAddresses(string networkId, Endpoint e)
    {
        try
        {
            if (e.IPv4.Length > 0) ipam.RestoreAddress(networkId, Cidr.ParseInterfaceAddress(e.IPv4).Address);
            if (e.IPv6.Length > 0) ipam.RestoreAddress(networkId, Cidr.ParseInterfaceAddress(e.IPv6).Address);
        }
        catch (NetPortalException ex)
        {
            log.LogWarning("could not restore the addresses of endpoint {Id}: {Message}", e.Id, ex.Message);
        }
    }

    private async Task<IDisposable> LockAsync(string containerId, CancellationToken ct)
    {
        var gate = _locks.GetOrAdd(containerId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Releaser(gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) gate.Release();
        }
    }

    private async Task SaveAsync(Container c, CancellationToken ct)
    {
        await store.UpdateAsync(c, ct);
        _containers[c.Id] = c;
    }

    private void Emit(Container c, string action, Dictionary<string, string>? extra = null)
    {
        var attrs = new Dictionary<string, string> { ["image"] = c.Spec.Image, ["name"] = c.Name };
        foreach (var l in c.Spec.Labels) attrs.TryAdd(l.Key, l.Value);
        if (extra is not null) foreach (var (k, v) in extra) attrs[k] = v;
        events.Publish("container", action, c.Id, attrs);
    }

    private void EmitNetwork(string action, string networkId, string containerId)
    {
        string name = networkId, type = "";
        try
        {
            var n = networks.Inspect(networkId);
            name = n.Name;
            type = n.Driver;
        }
        catch (NetPortalException)
        {
        }
        events.Publish("network", action, networkId, new Dictionary<string, string> { ["container"] = containerId, ["name"] = name, ["type"] = type });
    }

    /// <summary>Rules survive a daemon restart, but the userland proxy's listeners lived in the old process.</summary>
    private void RepublishAdopted(Container c, Attachment a)
    {
        if (a.Endpoint!.Ports.Count == 0 || TryNetwork(a.NetworkId) is not { } n) return;
        try
        {
            publisher.Publish(n, a.Endpoint, a.Endpoint.Ports);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "the published ports of {Name} could not be restored", c.Name);
        }
    }

    private bool UsesEmbeddedDns(Container c) =>
        c.Attachments.Any(a => a.Endpoint is not null && TryNetwork(a.NetworkId) is { IsPredefined: false });

    private void TryAttachResolver(Container c)
    {
        try
        {
            resolver.Attach(c.Sandbox!, c.Id, this);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "the embedded DNS of {Name} could not be started", c.Name);
        }
    }

    private static ActiveEndpoint Active(Container c, Endpoint e) =>
        new(c.Id, c.Name, e.Id, e.MacAddress, e.IPv4, e.IPv6);
}
