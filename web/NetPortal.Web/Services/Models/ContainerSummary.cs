namespace NetPortal.Web.Services.Models;

/// <summary>One item of GET /containers/json.</summary>
public sealed record ContainerSummary(string Id, List<string> Names, string Image, string State, string Status, List<ContainerPort>? Ports, ContainerNetworks? NetworkSettings);
