namespace NetPortal.Web.Services.Models;

/// <summary>One rule with its owner and counters.</summary>
public sealed record FirewallRule(int Position, string Text, long Packets, long Bytes, RuleOwner? Owner, bool User);
