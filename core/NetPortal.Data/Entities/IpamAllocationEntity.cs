namespace NetPortal.Data.Entities;

/// <summary>Row of the IpamAllocations table: one address handed out in a network, and to whom.</summary>
public sealed class IpamAllocationEntity
{
    public required string NetworkId { get; set; }
    public required string Address { get; set; }
    public required string Owner { get; set; }
}
