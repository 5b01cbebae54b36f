using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>Docker's EndpointIPAMConfig: the user's static addresses; empty members are omitted (Go omitempty).</summary>
public sealed class EndpointIPAMConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IPv4Address { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IPv6Address { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? LinkLocalIPs { get; set; }
}
