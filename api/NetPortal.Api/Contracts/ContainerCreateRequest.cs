namespace NetPortal.Api.Contracts;

/// <summary>Body of POST /containers/create: the container Config with HostConfig and NetworkingConfig beside it.</summary>
public sealed class ContainerCreateRequest : ContainerConfig
{
    public HostConfig? HostConfig { get; set; }
    public NetworkingConfig? NetworkingConfig { get; set; }
}
