namespace NetPortal.Web.Services.Models;

/// <summary>One chain of a table.</summary>
public sealed record FirewallChain(string Name, string? Policy, List<FirewallRule> Rules);
