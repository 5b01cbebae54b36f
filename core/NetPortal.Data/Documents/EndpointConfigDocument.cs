namespace NetPortal.Data.Documents;

/// <summary>Stored form of an EndpointConfig; null addresses stay null.</summary>
internal sealed class EndpointConfigDocument
{
    public List<string> Aliases { get; set; } = [];
    public string? IPv4Address { get; set; }
    public string? IPv6Address { get; set; }
    public List<string> LinkLocalIPs { get; set; } = [];
    public List<string> Links { get; set; } = [];
    public Dictionary<string, string> DriverOpts { get; set; } = [];
    public string? MacAddress { get; set; }
    public int GwPriority { get; set; }
}
