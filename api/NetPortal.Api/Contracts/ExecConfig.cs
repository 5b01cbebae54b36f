using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>Body of POST /containers/{id}/exec, in Go's field order.</summary>
public sealed class ExecConfig
{
    public string? User { get; set; }
    public bool Privileged { get; set; }
    public bool Tty { get; set; }
    /// <summary>[height, width]; TTY only, API 1.42+.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<uint>? ConsoleSize { get; set; }
    public bool AttachStdin { get; set; }
    public bool AttachStderr { get; set; }
    public bool AttachStdout { get; set; }
    public bool Detach { get; set; }
    public string? DetachKeys { get; set; }
    public List<string>? Env { get; set; }
    public string? WorkingDir { get; set; }
    [JsonConverter(typeof(Http.StrSliceConverter))]
    public List<string>? Cmd { get; set; }
}
