namespace NetPortal.Core.Insight;

/// <summary>
/// One difference between the records and the kernel. Kind: missing-bridge, missing-address, bridge-down,
/// missing-rule, orphan-bridge, orphan-rule, orphan-sandbox or missing-veth.
/// </summary>
public sealed record DriftItem(string Kind, string Subject, string Expected, string Actual, bool Repairable);
