namespace NetPortal.Api.Contracts;

/// <summary>
/// Docker's EndpointSettings, in the order the Go client sends and dockerd answers it: the config part
/// (IPAMConfig … GwPriority) that requests carry, then the operational part inspect fills in.
/// </summary>
public sealed class EndpointSettings
{
    public EndpointIPAMConfig? IPAMConfig { get; set; }
    public List<string>? Links { get; set; }
    public List<string>? Aliases { get; set; }
    public string? MacAddress { get; set; }
    public Dictionary<string, string>? DriverOpts { get; set; }
    /// <summary>API 1.48 and later.</summary>
    public int GwPriority { get; set; }
    public string? NetworkID { get; set; }
    public string? EndpointID { get; set; }
    public string? Gateway { get; set; }
    public string? IPAddress { get; set; }
    public int IPPrefixLen { get; set; }
    public string? IPv6Gateway { get; set; }
    public string? GlobalIPv6Address { get; set; }
    public int GlobalIPv6PrefixLen { get; set; }
    /// <summary>Names the container answers to on the network (user-defined networks only; null otherwise).</summary>
    public List<string>? DNSNames { get; set; }
}
