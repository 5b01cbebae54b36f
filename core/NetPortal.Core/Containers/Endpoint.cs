namespace NetPortal.Core.Containers;

/// <summary>A container's live attachment to one network (exists only while the sandbox does).</summary>
public sealed record Endpoint
{
    public required string Id { get; init; }
    public required string NetworkId { get; init; }
    public required string ContainerId { get; init; }
    /// <summary>Name inside the sandbox: eth0, eth1, … in attachment order.</summary>
    public required string InterfaceName { get; init; }
    /// <summary>Host side of the veth pair in the managed namespace (empty for drivers without one).</summary>
    public string HostInterfaceName { get; init; } = "";
    public string MacAddress { get; init; } = "";
    /// <summary>IPv4 address with prefix, e.g. 172.18.0.2/16, or empty.</summary>
    public string IPv4 { get; init; } = "";
    public string IPv6 { get; init; } = "";
    public string Gateway { get; init; } = "";
    public string GatewayIPv6 { get; init; } = "";
    public IReadOnlyList<string> LinkLocalIPs { get; init; } = [];
    /// <summary>This endpoint's gateway is the sandbox's default route.</summary>
    public bool IsDefaultGateway { get; init; }
    public int Mtu { get; init; } = 1500;
    /// <summary>Ports published through this endpoint (only the default-gateway endpoint publishes, as Docker).</summary>
    public IReadOnlyList<Ports.PortMapping> Ports { get; init; } = [];
}
