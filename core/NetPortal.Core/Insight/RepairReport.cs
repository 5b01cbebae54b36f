namespace NetPortal.Core.Insight;

/// <summary>POST /netportal/drift/repair: a line per change the reconcile made.</summary>
public sealed record RepairReport(IReadOnlyList<string> Changes);
