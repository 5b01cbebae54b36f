using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>
/// The networking subset of Docker's HostConfig, in Go's field order; unknown members of a request are ignored.
/// Inspect echoes what create stored.
/// </summary>
public sealed class HostConfig
{
    public string? NetworkMode { get; set; }
    public Dictionary<string, List<PortBindingResource>?>? PortBindings { get; set; }
    public RestartPolicy? RestartPolicy { get; set; }
    public bool AutoRemove { get; set; }
    public List<string>? Dns { get; set; }
    public List<string>? DnsOptions { get; set; }
    public List<string>? DnsSearch { get; set; }
    public List<string>? ExtraHosts { get; set; }
    public List<string>? Links { get; set; }
    public bool PublishAllPorts { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Sysctls { get; set; }
}
