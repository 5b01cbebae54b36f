using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>One IPAM config; empty fields are omitted (Go omitempty), so v29 clients never see unparsable strings.</summary>
public sealed class IpamConfigResource
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subnet { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IPRange { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Gateway { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? AuxiliaryAddresses { get; set; }
}
