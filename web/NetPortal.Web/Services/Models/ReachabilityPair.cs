namespace NetPortal.Web.Services.Models;

/// <summary>The verdict for one ordered pair of running sandboxes.</summary>
public sealed record ReachabilityPair(string From, string To, string Verdict);
