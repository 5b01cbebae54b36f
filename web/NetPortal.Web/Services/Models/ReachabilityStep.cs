namespace NetPortal.Web.Services.Models;

/// <summary>One step a packet meets; exactly one decides.</summary>
public sealed record ReachabilityStep(string Kind, string? Table, string? Chain, string Text, bool Decides);
