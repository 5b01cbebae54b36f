namespace NetPortal.Api.Contracts;

/// <summary>Docker's IPAM object: Config is null for host and none, as dockerd emits it.</summary>
public sealed class IpamResource
{
    public string Driver { get; init; } = "default";
    public Dictionary<string, string>? Options { get; init; }
    public List<IpamConfigResource>? Config { get; init; }
}
