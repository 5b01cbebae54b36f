namespace NetPortal.Web.Services.Models;

/// <summary>GET /netportal/reachability: the verdict and the path a packet takes.</summary>
public sealed record ReachabilityResult(string From, string To, string Verdict, List<ReachabilityStep> Steps, string? Summary);
