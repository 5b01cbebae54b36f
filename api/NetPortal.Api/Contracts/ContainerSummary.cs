namespace NetPortal.Api.Contracts;

/// <summary>One item of GET /containers/json.</summary>
public sealed class ContainerSummary
{
    public required string Id { get; init; }
    public required List<string> Names { get; init; }
    public required string Image { get; init; }
    public required string ImageID { get; init; }
    public required string Command { get; init; }
    /// <summary>Unix seconds.</summary>
    public long Created { get; init; }
    public required List<PortSummary> Ports { get; init; }
    public required Dictionary<string, string> Labels { get; init; }
    public required string State { get; init; }
    public required string Status { get; init; }
    public required ContainerSummaryHostConfig HostConfig { get; init; }
    public required ContainerSummaryNetworkSettings NetworkSettings { get; init; }
    public List<object> Mounts { get; init; } = [];
}
