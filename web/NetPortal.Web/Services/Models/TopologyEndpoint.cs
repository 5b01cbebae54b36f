namespace NetPortal.Web.Services.Models;

/// <summary>A sandbox's endpoint on a network.</summary>
public sealed record TopologyEndpoint(string NetworkId, string NetworkName, string? Interface, string? HostInterface, string? MacAddress, string? IPv4, string? IPv6, bool IsDefaultGateway);
