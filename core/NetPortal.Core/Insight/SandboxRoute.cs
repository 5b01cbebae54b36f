namespace NetPortal.Core.Insight;

/// <summary>A route of a sandbox: Destination is a CIDR (0.0.0.0/0 for the default route), Gateway null for connected routes.</summary>
public sealed record SandboxRoute(string Destination, string? Gateway, string Device);
