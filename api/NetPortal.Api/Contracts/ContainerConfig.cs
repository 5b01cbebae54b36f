using System.Text.Json.Serialization;
using NetPortal.Api.Http;

namespace NetPortal.Api.Contracts;

/// <summary>
/// Docker's ContainerConfig (the body of create, and inspect's Config), in Go's field order. Cmd, Entrypoint and Shell
/// accept a string or an array, as Go's StrSlice does.
/// </summary>
public class ContainerConfig
{
    public string? Hostname { get; set; }
    public string? Domainname { get; set; }
    public string? User { get; set; }
    public bool AttachStdin { get; set; }
    public bool AttachStdout { get; set; }
    public bool AttachStderr { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, EmptyObject?>? ExposedPorts { get; set; }
    public bool Tty { get; set; }
    public bool OpenStdin { get; set; }
    public bool StdinOnce { get; set; }
    public List<string>? Env { get; set; }
    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? Cmd { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ArgsEscaped { get; set; }
    public string? Image { get; set; }
    public Dictionary<string, EmptyObject?>? Volumes { get; set; }
    public string? WorkingDir { get; set; }
    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? Entrypoint { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool NetworkDisabled { get; set; }
    /// <summary>Deprecated in API 1.44 (moved to EndpointSettings); migrated to the main network's endpoint.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MacAddress { get; set; }
    public List<string>? OnBuild { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StopSignal { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? StopTimeout { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? Shell { get; set; }
}
