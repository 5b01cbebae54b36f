namespace NetPortal.Core.Insight;

/// <summary>One thing a packet meets: Kind route, bridge, rule, policy, nat or note; Table/Chain only for rules and policies.</summary>
public sealed record ReachabilityStep(string Kind, string? Table, string? Chain, string Text, bool Decides);
