namespace NetPortal.Core.Insight;

/// <summary>A network as the insight views show it; Bridge is null for drivers without one (host, null).</summary>
public sealed record InsightNetwork(
    string Id,
    string Name,
    string Driver,
    string? Bridge,
    bool Internal,
    IReadOnlyList<string> Subnets,
    IReadOnlyList<string> Gateways,
    bool Icc,
    bool Masquerade);
