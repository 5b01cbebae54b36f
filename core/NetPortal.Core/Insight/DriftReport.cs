namespace NetPortal.Core.Insight;

/// <summary>GET /netportal/drift.</summary>
public sealed record DriftReport(IReadOnlyList<DriftItem> Items);
