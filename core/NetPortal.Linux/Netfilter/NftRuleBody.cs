namespace NetPortal.Linux.Netfilter;

/// <summary>
/// A rule's NFTA_RULE_EXPRESSIONS contents (the list elements, already encoded) and, when the rule names a
/// protocol with -p, the protocol that nft_compat passes to x_tables checks (NFTA_RULE_COMPAT).
/// </summary>
internal sealed record NftRuleBody(byte[] Expressions, uint? CompatProtocol);
