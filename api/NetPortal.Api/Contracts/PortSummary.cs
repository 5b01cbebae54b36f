using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>Docker's Port (list item): IP and PublicPort are omitted for an exposed port nobody published.</summary>
public sealed class PortSummary
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IP { get; init; }
    public int PrivatePort { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PublicPort { get; init; }
    public required string Type { get; init; }
}
