using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Services;

/// <summary>Everything the dashboard asks the daemon, over its HTTP API only; failures throw <see cref="ApiException"/>.</summary>
public interface INetPortalApiClient
{
    Task<bool> PingAsync(CancellationToken ct = default);
    Task<VersionInfo> GetVersionAsync(CancellationToken ct = default);
    Task<IReadOnlyList<NetworkSummary>> GetNetworksAsync(CancellationToken ct = default);
    Task<NetworkSummary> GetNetworkAsync(string idOrName, CancellationToken ct = default);
    /// <summary>Creates a network and returns its id.</summary>
    Task<string> CreateNetworkAsync(NetworkCreateSpec spec, CancellationToken ct = default);
    Task DeleteNetworkAsync(string idOrName, CancellationToken ct = default);
    Task ConnectAsync(string network, string container, CancellationToken ct = default);
    Task DisconnectAsync(string network, string container, bool force, CancellationToken ct = default);
    Task<IReadOnlyList<ContainerSummary>> GetContainersAsync(CancellationToken ct = default);
    Task<TopologyView> GetTopologyAsync(CancellationToken ct = default);
    Task<IReadOnlyList<IpamNetwork>> GetIpamAsync(CancellationToken ct = default);
    /// <summary>The ruleset, optionally only the rules owned by one network or container.</summary>
    Task<FirewallView> GetFirewallAsync(string? network = null, string? container = null, CancellationToken ct = default);
    Task<ReachabilityResult> ExplainAsync(string from, string to, CancellationToken ct = default);
    /// <summary>Live events until the stream ends or ct is cancelled.</summary>
    IAsyncEnumerable<DockerEvent> StreamEventsAsync(CancellationToken ct = default);
}
