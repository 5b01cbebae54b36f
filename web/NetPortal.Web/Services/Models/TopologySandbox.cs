namespace NetPortal.Web.Services.Models;

/// <summary>A container sandbox in the topology.</summary>
public sealed record TopologySandbox(string ContainerId, string Name, string State, string? NetworkMode, string? SandboxKey, List<TopologyEndpoint> Endpoints, List<TopologyPort>? Ports);
