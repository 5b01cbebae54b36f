namespace NetPortal.Core.Endpoints;

/// <summary>Which containers hold endpoints on a network; networks with endpoints cannot be removed or pruned.</summary>
public interface IEndpointDirectory
{
    IReadOnlyList<ActiveEndpoint> ActiveEndpoints(string networkId);
}

/// <summary>An endpoint as the network delete error and inspect's Containers show it.</summary>
public sealed record ActiveEndpoint(string ContainerId, string ContainerName, string EndpointId, string MacAddress, string IPv4Address, string IPv6Address);
