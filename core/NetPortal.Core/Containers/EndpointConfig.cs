namespace NetPortal.Core.Containers;

/// <summary>The user-set part of Docker's EndpointSettings (create's EndpointsConfig, connect's EndpointConfig).</summary>
public sealed record EndpointConfig
{
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public string? IPv4Address { get; init; }
    public string? IPv6Address { get; init; }
    public IReadOnlyList<string> LinkLocalIPs { get; init; } = [];
    /// <summary>"name:alias".</summary>
    public IReadOnlyList<string> Links { get; init; } = [];
    public IReadOnlyDictionary<string, string> DriverOpts { get; init; } = new Dictionary<string, string>();
    public string? MacAddress { get; init; }
    public int GwPriority { get; init; }

    public bool HasIpamConfig => IPv4Address is not null || IPv6Address is not null || LinkLocalIPs.Count > 0;
}
