namespace NetPortal.Api.Contracts;

/// <summary>
/// Inspect's NetworkSettings as API ≤ 1.51 has it: the base fields, the legacy mirror of the default bridge
/// endpoint, then Networks by network name.
/// </summary>
public sealed class NetworkSettingsResource
{
    public string Bridge { get; init; } = "";
    public required string SandboxID { get; init; }
    public required string SandboxKey { get; init; }
    /// <summary>Container port → bindings; a null value is an exposed port nobody published.</summary>
    public required Dictionary<string, List<PortBindingResource>?> Ports { get; init; }
    public bool HairpinMode { get; init; }
    public string LinkLocalIPv6Address { get; init; } = "";
    public int LinkLocalIPv6PrefixLen { get; init; }
    public List<object>? SecondaryIPAddresses { get; init; }
    public List<object>? SecondaryIPv6Addresses { get; init; }
    public string EndpointID { get; init; } = "";
    public string Gateway { get; init; } = "";
    public string GlobalIPv6Address { get; init; } = "";
    public int GlobalIPv6PrefixLen { get; init; }
    public string IPAddress { get; init; } = "";
    public int IPPrefixLen { get; init; }
    public string IPv6Gateway { get; init; } = "";
    public string MacAddress { get; init; } = "";
    public required Dictionary<string, EndpointSettings> Networks { get; init; }
}
