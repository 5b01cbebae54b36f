namespace NetPortal.Web.Services.Models;

/// <summary>Docker's IPAM object of a network.</summary>
public sealed record IpamInfo(string? Driver, List<IpamConfigEntry>? Config);
