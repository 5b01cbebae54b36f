namespace NetPortal.Data.Entities;

/// <summary>Row of the IpamPools table; Ordinal keeps the network's pool order (IPv4 first).</summary>
public sealed class IpamPoolEntity
{
    public required string NetworkId { get; set; }
    public int Ordinal { get; set; }
    public required string Subnet { get; set; }
    public string? IPRange { get; set; }
    public string? Gateway { get; set; }
    public bool SubnetRequested { get; set; }
    public bool GatewayRequested { get; set; }
    public required string AuxiliaryAddresses { get; set; }
}
