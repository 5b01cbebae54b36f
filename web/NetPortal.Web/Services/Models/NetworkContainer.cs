namespace NetPortal.Web.Services.Models;

/// <summary>A container's endpoint as a network's Containers map shows it.</summary>
public sealed record NetworkContainer(string Name, string EndpointID, string MacAddress, string IPv4Address, string IPv6Address);
