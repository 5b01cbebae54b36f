using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>Docker's Network object (inspect and list item), fields in dockerd's order.</summary>
public sealed class NetworkResource
{
    public required string Name { get; init; }
    public required string Id { get; init; }
    public required string Created { get; init; }
    public required string Scope { get; init; }
    public required string Driver { get; init; }
    /// <summary>API 1.48 and later.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? EnableIPv4 { get; init; }
    public bool EnableIPv6 { get; init; }
    public required IpamResource IPAM { get; init; }
    public bool Internal { get; init; }
    public bool Attachable { get; init; }
    public bool Ingress { get; init; }
    public required ConfigReference ConfigFrom { get; init; }
    public bool ConfigOnly { get; init; }
    public required Dictionary<string, EndpointResource> Containers { get; init; }
    public required Dictionary<string, string> Options { get; init; }
    public required Dictionary<string, string> Labels { get; init; }
}
