namespace NetPortal.Api.Contracts;

/// <summary>A container's endpoint as a network's Containers map shows it.</summary>
public sealed record EndpointResource(string Name, string EndpointID, string MacAddress, string IPv4Address, string IPv6Address);
