namespace NetPortal.Data.Documents;

/// <summary>Stored form of a PortBinding.</summary>
internal sealed class PortBindingDocument
{
    public string HostIp { get; set; } = "";
    public string HostPort { get; set; } = "";
}
