namespace NetPortal.Api.Contracts;

/// <summary>GET /containers/{id}/json, fields in dockerd's order (ContainerJSONBase, then Mounts, Config, NetworkSettings).</summary>
public sealed class ContainerInspectResponse
{
    public required string Id { get; init; }
    public required string Created { get; init; }
    public required string Path { get; init; }
    public required List<string> Args { get; init; }
    public required ContainerStateResource State { get; init; }
    public required string Image { get; init; }
    public required string ResolvConfPath { get; init; }
    public required string HostnamePath { get; init; }
    public required string HostsPath { get; init; }
    public required string LogPath { get; init; }
    /// <summary>With the leading slash, "/c1".</summary>
    public required string Name { get; init; }
    public int RestartCount { get; init; }
    public string Driver { get; init; } = "none";
    public string Platform { get; init; } = "linux";
    public string MountLabel { get; init; } = "";
    public string ProcessLabel { get; init; } = "";
    public string AppArmorProfile { get; init; } = "";
    public List<string>? ExecIDs { get; init; }
    public required HostConfig HostConfig { get; init; }
    public List<object> Mounts { get; init; } = [];
    public required ContainerConfig Config { get; init; }
    public required NetworkSettingsResource NetworkSettings { get; init; }
}
