using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>GET /exec/{id}/json; ExitCode is null while the process runs. DetachKeys is base64 (Go []byte).</summary>
public sealed class ExecInspectResponse
{
    public required string ID { get; init; }
    public bool Running { get; init; }
    public int? ExitCode { get; init; }
    public required ExecProcessConfig ProcessConfig { get; init; }
    public bool OpenStdin { get; init; }
    public bool OpenStderr { get; init; }
    public bool OpenStdout { get; init; }
    public bool CanRemove { get; init; }
    public required string ContainerID { get; init; }
    public required string DetachKeys { get; init; }
    public int Pid { get; init; }
}

/// <summary>The exec's command as Docker reports it, with Go's lower-case names.</summary>
public sealed class ExecProcessConfig
{
    [JsonPropertyName("tty")] public bool Tty { get; init; }
    [JsonPropertyName("entrypoint")] public required string Entrypoint { get; init; }
    [JsonPropertyName("arguments")] public required List<string> Arguments { get; init; }
    [JsonPropertyName("privileged")] public bool Privileged { get; init; }
    [JsonPropertyName("user")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; init; }
}
