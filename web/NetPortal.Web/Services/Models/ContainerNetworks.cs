namespace NetPortal.Web.Services.Models;

/// <summary>The network settings of a container list item.</summary>
public sealed record ContainerNetworks(Dictionary<string, ContainerEndpoint>? Networks);
