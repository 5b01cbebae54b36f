namespace NetPortal.Core.Insight;

/// <summary>The explainer's answer: Verdict allowed or blocked, the steps in packet order (exactly one decides), and a sentence.</summary>
public sealed record ReachabilityResult(string From, string To, string Verdict, IReadOnlyList<ReachabilityStep> Steps, string Summary)
{
    public const string Allowed = "allowed";
    public const string Blocked = "blocked";
}
