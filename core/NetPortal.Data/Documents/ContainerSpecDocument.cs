namespace NetPortal.Data.Documents;

/// <summary>Stored form of a ContainerSpec.</summary>
internal sealed class ContainerSpecDocument
{
    public string Name { get; set; } = "";
    public string Image { get; set; } = "";
    public List<string> Cmd { get; set; } = [];
    public List<string> Entrypoint { get; set; } = [];
    public List<string> Env { get; set; } = [];
    public string Hostname { get; set; } = "";
    public string Domainname { get; set; } = "";
    public string WorkingDir { get; set; } = "";
    public Dictionary<string, string> Labels { get; set; } = [];
    public List<string> ExposedPorts { get; set; } = [];
    public string NetworkMode { get; set; } = "";
    public List<string> Dns { get; set; } = [];
    public List<string> DnsSearch { get; set; } = [];
    public List<string> DnsOptions { get; set; } = [];
    public List<string> ExtraHosts { get; set; } = [];
    public List<string> Links { get; set; } = [];
    public Dictionary<string, List<PortBindingDocument>> PortBindings { get; set; } = [];
    public bool PublishAllPorts { get; set; }
    public Dictionary<string, string> Sysctls { get; set; } = [];
    public Dictionary<string, EndpointConfigDocument> EndpointsConfig { get; set; } = [];
}
