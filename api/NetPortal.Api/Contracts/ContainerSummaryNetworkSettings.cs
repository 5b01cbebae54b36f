namespace NetPortal.Api.Contracts;

/// <summary>The NetworkSettings a container list item carries: only Networks.</summary>
public sealed class ContainerSummaryNetworkSettings
{
    public required Dictionary<string, EndpointSettings> Networks { get; init; }
}
