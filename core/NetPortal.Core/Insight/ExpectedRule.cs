namespace NetPortal.Core.Insight;

/// <summary>A rule the firewall backend should hold, spelled as the dump prints it (without "-A CHAIN").</summary>
public sealed record ExpectedRule(string Family, string Table, string Chain, string Spec);
