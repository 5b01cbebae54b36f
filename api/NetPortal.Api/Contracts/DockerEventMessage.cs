using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>One line of GET /events. status, id and from are the deprecated JSONMessage fields dockerd still fills for container events.</summary>
public sealed class DockerEventMessage
{
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }
    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }
    [JsonPropertyName("from")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? From { get; init; }
    public required string Type { get; init; }
    public required string Action { get; init; }
    public required EventActor Actor { get; init; }
    [JsonPropertyName("scope")] public required string Scope { get; init; }
    [JsonPropertyName("time")] public long Time { get; init; }
    [JsonPropertyName("timeNano")] public long TimeNano { get; init; }
}

public sealed record EventActor(string ID, Dictionary<string, string> Attributes);
