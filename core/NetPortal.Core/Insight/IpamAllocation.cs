namespace NetPortal.Core.Insight;

/// <summary>An address held by a container's endpoint.</summary>
public sealed record IpamAllocation(string Address, string ContainerId, string ContainerName, string EndpointId);
