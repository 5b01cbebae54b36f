namespace NetPortal.Web.Services.Models;

/// <summary>The actor of an event.</summary>
public sealed record EventActorInfo(string ID, Dictionary<string, string>? Attributes);
