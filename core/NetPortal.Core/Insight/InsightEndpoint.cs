namespace NetPortal.Core.Insight;

/// <summary>A live endpoint of a sandbox. IPv4/IPv6 carry their prefix (10.1.1.2/24) or are empty.</summary>
public sealed record InsightEndpoint(
    string NetworkId,
    string NetworkName,
    string Interface,
    string HostInterface,
    string MacAddress,
    string IPv4,
    string IPv6,
    bool IsDefaultGateway)
{
    /// <summary>The endpoint's IPv4 gateway (for the route step); not part of the topology JSON.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Gateway { get; init; } = "";
}
