using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>The HostConfig a container list item carries.</summary>
public sealed class ContainerSummaryHostConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NetworkMode { get; init; }
}
