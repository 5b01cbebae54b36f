using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>Body of POST /exec/{id}/start.</summary>
public sealed class ExecStartConfig
{
    public bool Detach { get; set; }
    public bool Tty { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<uint>? ConsoleSize { get; set; }
}
