namespace NetPortal.Core.Networks;

/// <summary>A create request after JSON decoding and before validation.</summary>
public sealed record NetworkSpec
{
    public string Name { get; init; } = "";
    public string Driver { get; init; } = "";
    public string Scope { get; init; } = "";
    public bool Internal { get; init; }
    public bool Attachable { get; init; }
    public bool Ingress { get; init; }
    public bool ConfigOnly { get; init; }
    public string? ConfigFrom { get; init; }
    /// <summary>Null when the client did not send it (API &lt; 1.48 or flag absent).</summary>
    public bool? EnableIPv4 { get; init; }
    public bool? EnableIPv6 { get; init; }
    public string IpamDriver { get; init; } = "";
    public IReadOnlyDictionary<string, string>? IpamOptions { get; init; }
    public IReadOnlyList<IpamPoolRequest> IpamConfigs { get; init; } = [];
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

/// <summary>One IPAM config entry exactly as the client sent it (strings unvalidated).</summary>
public sealed record IpamPoolRequest(string? Subnet, string? IPRange, string? Gateway, IReadOnlyDictionary<string, string>? AuxiliaryAddresses);
