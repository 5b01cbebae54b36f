namespace NetPortal.Core.Insight;

/// <summary>GET /netportal/topology: the namespace, networks, sandboxes and the reachability matrix.</summary>
public sealed record Topology(
    NamespaceView Namespace,
    IReadOnlyList<InsightNetwork> Networks,
    IReadOnlyList<InsightSandbox> Sandboxes,
    IReadOnlyList<ReachabilityPair> Reachability);
