namespace NetPortal.Core.Networks;

/// <summary>A network as NetPortal records it; the API renders it as Docker's NetworkInspect.</summary>
public sealed record Network
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string Driver { get; init; } = "bridge";
    public string Scope { get; init; } = "local";
    public DateTimeOffset Created { get; init; }
    public bool EnableIPv4 { get; init; } = true;
    public bool EnableIPv6 { get; init; }
    public bool Internal { get; init; }
    public bool Attachable { get; init; }
    public bool Ingress { get; init; }
    public bool ConfigOnly { get; init; }
    public string ConfigFrom { get; init; } = "";
    public string IpamDriver { get; init; } = "default";
    /// <summary>Null for the predefined networks, as Docker reports them.</summary>
    public IReadOnlyDictionary<string, string>? IpamOptions { get; init; } = new Dictionary<string, string>();
    /// <summary>The pools the network owns, IPv4 first; resolved (subnet and gateway always set for bridge).</summary>
    public IReadOnlyList<IpamPool> Pools { get; init; } = [];
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>bridge, host and none (plus the alias default) cannot be created or removed by users.</summary>
    public bool IsPredefined => PredefinedNetworks.IsPredefinedName(Name) && PredefinedNetworks.IsPredefinedDriver(Name, Driver);

    public string? Option(string key) => Options.TryGetValue(key, out var v) ? v : null;
}
