namespace NetPortal.Core.Insight;

/// <summary>One subnet's usage; counts are decimal strings (an IPv6 /64 does not fit a JSON number).</summary>
public sealed record IpamSubnetReport(
    string Subnet,
    string? IPRange,
    string? Gateway,
    string Size,
    string InUse,
    string Free,
    string DynamicAvailable,
    IReadOnlyList<IpamReservation> Reserved,
    IReadOnlyList<IpamAllocation> Allocations,
    IReadOnlyList<IpamConflict> Conflicts);
