namespace NetPortal.Core.Insight;

/// <summary>One match of a rule: Key is in, out, src, dst, proto, dport, ctstate, dst-type or src-type; anything else is not modelled.</summary>
public sealed record RuleCondition(string Key, string Value, bool Negated);
