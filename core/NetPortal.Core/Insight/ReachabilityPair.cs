namespace NetPortal.Core.Insight;

/// <summary>The verdict for one ordered pair of running sandboxes (container ids).</summary>
public sealed record ReachabilityPair(string From, string To, string Verdict);
