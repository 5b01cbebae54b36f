namespace NetPortal.Web.Services.Models;

/// <summary>One table of the ruleset.</summary>
public sealed record FirewallTable(string Family, string Table, List<FirewallChain> Chains);
