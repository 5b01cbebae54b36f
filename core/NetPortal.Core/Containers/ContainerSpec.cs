namespace NetPortal.Core.Containers;

/// <summary>What POST /containers/create asked for, after decoding; stored as given, validated by the service.</summary>
public sealed record ContainerSpec
{
    public string Name { get; init; } = "";
    public string Image { get; init; } = "";
    public IReadOnlyList<string> Cmd { get; init; } = [];
    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> Env { get; init; } = [];
    public string Hostname { get; init; } = "";
    public string Domainname { get; init; } = "";
    public string WorkingDir { get; init; } = "";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>"80/tcp" style keys.</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];
    public string NetworkMode { get; init; } = "";
    public IReadOnlyList<string> Dns { get; init; } = [];
    public IReadOnlyList<string> DnsSearch { get; init; } = [];
    public IReadOnlyList<string> DnsOptions { get; init; } = [];
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];
    /// <summary>"name:alias" (legacy links on the default bridge).</summary>
    public IReadOnlyList<string> Links { get; init; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>> PortBindings { get; init; } = new Dictionary<string, IReadOnlyList<PortBinding>>();
    public bool PublishAllPorts { get; init; }
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();
    /// <summary>Requested attachments keyed by network name or id as the client wrote it.</summary>
    public IReadOnlyDictionary<string, EndpointConfig> EndpointsConfig { get; init; } = new Dictionary<string, EndpointConfig>();
}
