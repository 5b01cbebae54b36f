namespace NetPortal.Core.Insight;

/// <summary>One text dump of a ruleset.</summary>
/// <param name="Family">ipv4 or ipv6 for iptables; empty for nftables (each table names its family).</param>
/// <param name="Format">iptables-save (with -c counters) or nft (`nft list ruleset`).</param>
public sealed record RulesDump(string Family, string Format, string Text)
{
    public const string IptablesSave = "iptables-save";
    public const string Nft = "nft";
}
