namespace NetPortal.Web.Services.Models;

/// <summary>An address IPAM keeps for itself.</summary>
public sealed record IpamReserved(string Address, string Reason);
