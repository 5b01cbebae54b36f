namespace NetPortal.Web.Services.Models;

/// <summary>A network in the topology.</summary>
public sealed record TopologyNetwork(string Id, string Name, string Driver, string? Bridge, bool Internal, List<string>? Subnets, List<string>? Gateways, bool Icc, bool Masquerade);
