namespace NetPortal.Web.Services.Models;

/// <summary>A network as GET /networks and /networks/{id} return it (Docker's Network object).</summary>
public sealed record NetworkSummary(string Name, string Id, string? Created, string? Scope, string Driver, bool EnableIPv6, IpamInfo? IPAM, bool Internal, bool Attachable, Dictionary<string, NetworkContainer>? Containers, Dictionary<string, string>? Options, Dictionary<string, string>? Labels);
