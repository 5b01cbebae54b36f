namespace NetPortal.Web.Services.Models;

/// <summary>An address given to an endpoint.</summary>
public sealed record IpamAllocation(string Address, string? ContainerId, string? ContainerName, string? EndpointId);
