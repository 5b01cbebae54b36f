using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>One line of GET /events.</summary>
public sealed class DockerEventMessage
{
    public required string Type { get; init; }
    public required string Action { get; init; }
    public required EventActor Actor { get; init; }
    [JsonPropertyName("scope")] public required string Scope { get; init; }
    [JsonPropertyName("time")] public long Time { get; init; }
    [JsonPropertyName("timeNano")] public long TimeNano { get; init; }
}

public sealed record EventActor(string ID, Dictionary<string, string> Attributes);
