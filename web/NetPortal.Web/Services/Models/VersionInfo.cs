namespace NetPortal.Web.Services.Models;

/// <summary>GET /version, the fields the overview shows.</summary>
public sealed record VersionInfo(string Version, string ApiVersion, string? Os, string? KernelVersion);
