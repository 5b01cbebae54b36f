namespace NetPortal.Data.Documents;

/// <summary>Stored form of a published port (Core's PortMapping).</summary>
internal sealed class PortMappingDocument
{
    public string Protocol { get; set; } = "tcp";
    public string HostIp { get; set; } = "";
    public int HostPort { get; set; }
    public string ContainerIp { get; set; } = "";
    public int ContainerPort { get; set; }
}
