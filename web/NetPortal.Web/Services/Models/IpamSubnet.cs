namespace NetPortal.Web.Services.Models;

/// <summary>Usage of one subnet; counts are decimal strings since an IPv6 /64 does not fit a JSON number.</summary>
public sealed record IpamSubnet(string Subnet, string? IPRange, string? Gateway, string Size, string InUse, string Free, string? DynamicAvailable, List<IpamReserved>? Reserved, List<IpamAllocation>? Allocations, List<IpamConflict>? Conflicts);
