namespace NetPortal.Data.Documents;

/// <summary>Stored form of a live Endpoint.</summary>
internal sealed class EndpointDocument
{
    public string Id { get; set; } = "";
    public string NetworkId { get; set; } = "";
    public string ContainerId { get; set; } = "";
    public string InterfaceName { get; set; } = "";
    public string HostInterfaceName { get; set; } = "";
    public string MacAddress { get; set; } = "";
    public string IPv4 { get; set; } = "";
    public string IPv6 { get; set; } = "";
    public string Gateway { get; set; } = "";
    public string GatewayIPv6 { get; set; } = "";
    public List<string> LinkLocalIPs { get; set; } = [];
    public bool IsDefaultGateway { get; set; }
    public int Mtu { get; set; } = 1500;
    public List<PortMappingDocument> Ports { get; set; } = [];
}
