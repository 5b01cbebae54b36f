namespace NetPortal.Api.Contracts;

/// <summary>GET /info: the subset the docker CLI needs for `docker info` and the `docker inspect` fallbacks.</summary>
public sealed class SystemInfo
{
    public required string ID { get; init; }
    public int Containers { get; init; }
    public int ContainersRunning { get; init; }
    public int ContainersPaused { get; init; }
    public int ContainersStopped { get; init; }
    public int Images { get; init; }
    public string Driver { get; init; } = "none";
    public List<string[]> DriverStatus { get; init; } = [];
    public required InfoPlugins Plugins { get; init; }
    public bool MemoryLimit { get; init; }
    public bool SwapLimit { get; init; }
    public bool IPv4Forwarding { get; init; }
    public bool Debug { get; init; }
    public int NFd { get; init; }
    public int NGoroutines { get; init; }
    public required string SystemTime { get; init; }
    public string LoggingDriver { get; init; } = "none";
    public string CgroupDriver { get; init; } = "none";
    public string CgroupVersion { get; init; } = "2";
    public int NEventsListener { get; init; }
    public required string KernelVersion { get; init; }
    public required string OperatingSystem { get; init; }
    public string OSVersion { get; init; } = "";
    public string OSType { get; init; } = "linux";
    public required string Architecture { get; init; }
    public int NCPU { get; init; }
    public long MemTotal { get; init; }
    public string IndexServerAddress { get; init; } = "";
    public object? RegistryConfig { get; init; }
    public required string DockerRootDir { get; init; }
    public string HttpProxy { get; init; } = "";
    public string HttpsProxy { get; init; } = "";
    public string NoProxy { get; init; } = "";
    public required string Name { get; init; }
    public List<string> Labels { get; init; } = [];
    public bool ExperimentalBuild { get; init; }
    public required string ServerVersion { get; init; }
    public Dictionary<string, object> Runtimes { get; init; } = [];
    public string DefaultRuntime { get; init; } = "";
    public required InfoSwarm Swarm { get; init; }
    public bool LiveRestoreEnabled { get; init; } = true;
    public string Isolation { get; init; } = "";
    public string InitBinary { get; init; } = "";
    public List<string> SecurityOptions { get; init; } = [];
    public required List<InfoAddressPool> DefaultAddressPools { get; init; }
    public required InfoFirewall FirewallBackend { get; init; }
    public List<string> Warnings { get; init; } = [];
}

public sealed record InfoPlugins(List<string> Volume, List<string> Network, List<string>? Authorization, List<string> Log);

public sealed record InfoSwarm(string NodeID, string NodeAddr, string LocalNodeState, bool ControlAvailable, string Error, object? RemoteManagers);

public sealed record InfoAddressPool(string Base, int Size);

/// <summary>API 1.49's FirewallBackend: the driver and key/value pairs describing it.</summary>
public sealed record InfoFirewall(string Driver, List<string[]> Info);
