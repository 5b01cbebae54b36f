namespace NetPortal.Web.Services.Models;

/// <summary>A foreign address or route of the managed namespace overlapping the subnet.</summary>
public sealed record IpamConflict(string Prefix, string? Device, string? Kind, string? Since);
