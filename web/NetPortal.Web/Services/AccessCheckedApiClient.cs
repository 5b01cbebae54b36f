using System.Net;
using NetPortal.Web.Hosting;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Services;

/// <summary>
/// The API client as pages get it: reads pass through; changes (create, delete, connect, disconnect) are refused with
/// 403 for a read-only circuit before anything reaches the daemon.
/// </summary>
public sealed class AccessCheckedApiClient(INetPortalApiClient inner, DashboardSession session) : INetPortalApiClient
{
    public Task<bool> PingAsync(CancellationToken ct = default) => inner.PingAsync(ct);
    public Task<VersionInfo> GetVersionAsync(CancellationToken ct = default) => inner.GetVersionAsync(ct);
    public Task<IReadOnlyList<NetworkSummary>> GetNetworksAsync(CancellationToken ct = default) => inner.GetNetworksAsync(ct);
    public Task<NetworkSummary> GetNetworkAsync(string idOrName, CancellationToken ct = default) => inner.GetNetworkAsync(idOrName, ct);
    public Task<IReadOnlyList<ContainerSummary>> GetContainersAsync(CancellationToken ct = default) => inner.GetContainersAsync(ct);
    public Task<TopologyView> GetTopologyAsync(CancellationToken ct = default) => inner.GetTopologyAsync(ct);
    public Task<IReadOnlyList<IpamNetwork>> GetIpamAsync(CancellationToken ct = default) => inner.GetIpamAsync(ct);

    public Task<FirewallView> GetFirewallAsync(string? network = null, string? container = null, CancellationToken ct = default) =>
        inner.GetFirewallAsync(network, container, ct);

    public Task<ReachabilityResult> ExplainAsync(string from, string to, CancellationToken ct = default) => inner.ExplainAsync(from, to, ct);
    public IAsyncEnumerable<DockerEvent> StreamEventsAsync(CancellationToken ct = default) => inner.StreamEventsAsync(ct);

    public Task<string> CreateNetworkAsync(NetworkCreateSpec spec, CancellationToken ct = default)
    {
        Demand("create networks");
        return inner.CreateNetworkAsync(spec, ct);
    }

    public Task DeleteNetworkAsync(string idOrName, CancellationToken ct = default)
    {
        Demand("remove networks");
        return inner.DeleteNetworkAsync(idOrName, ct);
    }

    public Task ConnectAsync(string network, string container, CancellationToken ct = default)
    {
        Demand("connect containers");
        return inner.ConnectAsync(network, container, ct);
    }

    public Task DisconnectAsync(string network, string container, bool force, CancellationToken ct = default)
    {
        Demand("disconnect containers");
        return inner.DisconnectAsync(network, container, force, ct);
    }

    private void Demand(string what)
    {
        if (!session.CanWrite) throw new ApiException(HttpStatusCode.Forbidden, $"read-only dashboard: cannot {what}");
    }
}
