namespace NetPortal.Data.Entities;

/// <summary>Row of the Networks table; dictionaries are JSON text.</summary>
public sealed class NetworkEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Driver { get; set; }
    public required string Scope { get; set; }
    public DateTimeOffset Created { get; set; }
    public bool EnableIPv4 { get; set; }
    public bool EnableIPv6 { get; set; }
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public bool Ingress { get; set; }
    public bool ConfigOnly { get; set; }
    public required string ConfigFrom { get; set; }
    public required string IpamDriver { get; set; }

    /// <summary>JSON object, or null when the network reports no IPAM options (predefined networks).</summary>
    public string? IpamOptions { get; set; }

    public required string Options { get; set; }
    public required string Labels { get; set; }
    public List<IpamPoolEntity> Pools { get; set; } = [];
}
