namespace NetPortal.Web.Services.Models;

/// <summary>Who a rule belongs to: daemon, network, container, port or user.</summary>
public sealed record RuleOwner(string Kind, string? Id, string? Name);
