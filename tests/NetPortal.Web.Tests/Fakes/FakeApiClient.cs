using System.Net;
using System.Runtime.CompilerServices;
using NetPortal.Web.Services;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Tests.Fakes;

/// <summary>An in-memory daemon for component tests: each call answers from the fields below, or awaits Gate when set.</summary>
public sealed class FakeApiClient : INetPortalApiClient
{
    public List<NetworkSummary> Networks { get; } = [];
    public List<ContainerSummary> Containers { get; } = [];
    public List<IpamNetwork> Ipam { get; } = [];
    public FirewallView Firewall { get; set; } = new("iptables", []);
    public TopologyView Topology { get; set; } = new(new TopologyNamespace("/var/run/netns/test", []), [], [], []);
    public Func<string, string, ReachabilityResult>? Explain { get; set; }
    /// <summary>When set, list calls wait for it: the page stays in its loading state.</summary>
    public TaskCompletionSource? Gate { get; set; }
    /// <summary>When set, every read throws it.</summary>
    public ApiException? Failure { get; set; }
    /// <summary>When set, create throws it.</summary>
    public ApiException? CreateFailure { get; set; }
    public List<NetworkCreateSpec> Created { get; } = [];
    public List<(string Network, string Container)> Connected { get; } = [];

    private async Task<T> Answer<T>(Func<T> value)
    {
        if (Gate is { } g) await g.Task;
        if (Failure is { } f) throw f;
        return value();
    }

    public Task<bool> PingAsync(CancellationToken ct = default) => Task.FromResult(Failure is null);
    public Task<VersionInfo> GetVersionAsync(CancellationToken ct = default) => Answer(() => new VersionInfo("0.1.0", "1.51", "linux", "6.1"));
    public Task<IReadOnlyList<NetworkSummary>> GetNetworksAsync(CancellationToken ct = default) => Answer<IReadOnlyList<NetworkSummary>>(() => [.. Networks]);

    public Task<NetworkSummary> GetNetworkAsync(string idOrName, CancellationToken ct = default) =>
        Answer(() => Networks.FirstOrDefault(n => n.Name == idOrName || n.Id == idOrName) ?? throw new ApiException(HttpStatusCode.NotFound, $"network {idOrName} not found"));

    public Task<string> CreateNetworkAsync(NetworkCreateSpec spec, CancellationToken ct = default)
    {
        if (CreateFailure is { } f) throw f;
        Created.Add(spec);
        var id = Guid.NewGuid().ToString("N");
        Networks.Add(Network(spec.Name, spec.Subnet, id));
        return Task.FromResult(id);
    }

    public Task DeleteNetworkAsync(string idOrName, CancellationToken ct = default)
    {
        Networks.RemoveAll(n => n.Name == idOrName || n.Id == idOrName);
        return Task.CompletedTask;
    }

    public Task ConnectAsync(string network, string container, CancellationToken ct = default)
    {
        Connected.Add((network, container));
        return Task.CompletedTask;
    }

    public Task DisconnectAsync(string network, string container, bool force, CancellationToken ct = default) => Task.CompletedTask;
    public Task<IReadOnlyList<ContainerSummary>> GetContainersAsync(CancellationToken ct = default) => Answer<IReadOnlyList<ContainerSummary>>(() => [.. Containers]);
    public Task<TopologyView> GetTopologyAsync(CancellationToken ct = default) => Answer(() => Topology);
    public Task<IReadOnlyList<IpamNetwork>> GetIpamAsync(CancellationToken ct = default) => Answer<IReadOnlyList<IpamNetwork>>(() => [.. Ipam]);
    public Task<FirewallView> GetFirewallAsync(string? network = null, string? container = null, CancellationToken ct = default) => Answer(() => Firewall);

    public Task<ReachabilityResult> ExplainAsync(string from, string to, CancellationToken ct = default) =>
        Answer(() => Explain?.Invoke(from, to) ?? throw new ApiException(HttpStatusCode.NotFound, "page not found"));

    public async IAsyncEnumerable<DockerEvent> StreamEventsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.Delay(Timeout.Infinite, ct);
        yield break;
    }

    public static NetworkSummary Network(string name, string subnet = "", string? id = null) =>
        new(name, id ?? Guid.NewGuid().ToString("N"), null, "local", "bridge", false,
            new IpamInfo("default", subnet.Length > 0 ? [new IpamConfigEntry(subnet, null, null)] : []), false, false, [], [], []);

    public static ContainerSummary Container(string name, string state = "running") =>
        new(Guid.NewGuid().ToString("N"), ["/" + name], "busybox", state, "Up 1 second", [], new ContainerNetworks([]));
}
