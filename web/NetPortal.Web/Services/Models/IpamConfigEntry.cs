namespace NetPortal.Web.Services.Models;

/// <summary>One IPAM config of a network.</summary>
public sealed record IpamConfigEntry(string? Subnet, string? IPRange, string? Gateway);
