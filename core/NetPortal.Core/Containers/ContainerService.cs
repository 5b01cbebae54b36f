using NetPortal.Core.Filters;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Core.Containers;

/// <summary>
/// Container use cases (create, start, stop, kill, restart, wait, remove, list, inspect, connect, disconnect, exec).
/// A container is a network sandbox with a command running inside (see ISandboxRuntime).
/// </summary>
public sealed partial class ContainerService
{
    /// <summary>Docker's create: validates, resolves the network mode, records; returns the container and warnings.</summary>
    public Task<(Container Container, IReadOnlyList<string> Warnings)> CreateAsync(ContainerSpec spec, Version apiVersion, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Exact id, exact name (with or without "/"), then unique id prefix; 404 "No such container: x".</summary>
    public Container Inspect(string term) => throw new NotImplementedException();

    /// <summary>GET /containers/json: running ones unless <paramref name="all"/>; filters name, id, label, network, status.</summary>
    public IReadOnlyList<Container> List(bool all, FilterArgs filters, int limit = -1) => throw new NotImplementedException();

    /// <summary>False when it was already running (HTTP 304).</summary>
    public Task<bool> StartAsync(string term, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Signal (default SIGTERM), then SIGKILL after the timeout (default 10 s). False when not running (304).</summary>
    public Task<bool> StopAsync(string term, int? timeoutSeconds, string? signal, CancellationToken ct = default) => throw new NotImplementedException();

    public Task RestartAsync(string term, int? timeoutSeconds, string? signal, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>409 "container X is not running" when it is not.</summary>
    public Task KillAsync(string term, string? signal, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>condition: not-running (default), next-exit, removed; returns the exit code.</summary>
    public Task<int> WaitAsync(string term, string? condition, CancellationToken ct = default) => throw new NotImplementedException();

    public Task RemoveAsync(string term, bool force, CancellationToken ct = default) => throw new NotImplementedException();

    public Task ConnectAsync(string networkTerm, string containerTerm, EndpointConfig? config, CancellationToken ct = default) => throw new NotImplementedException();

    public Task DisconnectAsync(string networkTerm, string containerTerm, bool force, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>POST /containers/{id}/exec: 409 when the container is not running.</summary>
    public ExecInstance CreateExec(string containerTerm, ExecInstance template) => throw new NotImplementedException();

    /// <summary>404 "No such exec instance: id".</summary>
    public ExecInstance InspectExec(string execId) => throw new NotImplementedException();

    /// <summary>Starts the exec's process; the caller pumps its streams. 409 if already started or the container stopped.</summary>
    public IExecProcess StartExec(string execId) => throw new NotImplementedException();
}
