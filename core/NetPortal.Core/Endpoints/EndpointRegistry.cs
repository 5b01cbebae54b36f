using System.Collections.Concurrent;

namespace NetPortal.Core.Endpoints;

/// <summary>
/// Live endpoints by network, kept by the container service and read by the network service (which must refuse to
/// remove a network with endpoints). An endpoint is registered before its kernel plumbing starts, so a concurrent
/// network removal already sees it.
/// </summary>
public sealed class EndpointRegistry : IEndpointDirectory
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ActiveEndpoint>> _byNetwork = new();

    public IReadOnlyList<ActiveEndpoint> ActiveEndpoints(string networkId) =>
        _byNetwork.TryGetValue(networkId, out var eps) ? eps.Values.OrderBy(e => e.ContainerName, StringComparer.Ordinal).ToList() : [];

    public void Add(string networkId, ActiveEndpoint endpoint) =>
        _byNetwork.GetOrAdd(networkId, _ => new ConcurrentDictionary<string, ActiveEndpoint>())[endpoint.EndpointId] = endpoint;

    public void Remove(string networkId, string endpointId)
    {
        if (_byNetwork.TryGetValue(networkId, out var eps)) eps.TryRemove(endpointId, out _);
    }
}
