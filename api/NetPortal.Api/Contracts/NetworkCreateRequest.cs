namespace NetPortal.Api.Contracts;

/// <summary>Body of POST /networks/create as the docker CLI, docker-py and Docker.DotNet send it.</summary>
public sealed class NetworkCreateRequest
{
    public string? Name { get; set; }
    public string? Driver { get; set; }
    public string? Scope { get; set; }
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public bool Ingress { get; set; }
    public bool ConfigOnly { get; set; }
    public ConfigReference? ConfigFrom { get; set; }
    public bool? EnableIPv4 { get; set; }
    public bool? EnableIPv6 { get; set; }
    public IpamRequest? IPAM { get; set; }
    public Dictionary<string, string>? Options { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    /// <summary>Deprecated since API 1.44; accepted and ignored (duplicates are always rejected).</summary>
    public bool? CheckDuplicate { get; set; }
}
