namespace NetPortal.Web.Services.Models;

/// <summary>A container's endpoint on one network.</summary>
public sealed record ContainerEndpoint(string? NetworkID, string? EndpointID, string? Gateway, string? IPAddress, int IPPrefixLen, string? MacAddress, string? GlobalIPv6Address);
