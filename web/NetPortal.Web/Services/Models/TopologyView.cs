namespace NetPortal.Web.Services.Models;

/// <summary>GET /netportal/topology.</summary>
public sealed record TopologyView(TopologyNamespace Namespace, List<TopologyNetwork> Networks, List<TopologySandbox> Sandboxes, List<ReachabilityPair>? Reachability);
