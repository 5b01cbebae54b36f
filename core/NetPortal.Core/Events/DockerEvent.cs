namespace NetPortal.Core.Events;

/// <summary>One engine event as Docker's /events streams it.</summary>
public sealed record DockerEvent(
    string Type,
    string Action,
    string ActorId,
    IReadOnlyDictionary<string, string> Attributes,
    string Scope,
    long TimeNano)
{
    public long Time => TimeNano / 1_000_000_000;
}
