using System.Collections.Concurrent;
using NetPortal.Core.Containers;

namespace NetPortal.Api.Tests.Infrastructure;

/// <summary>Container records in a dictionary.</summary>
public sealed class InMemoryContainerStore : IContainerStore
{
    private readonly ConcurrentDictionary<string, Container> _byId = new();

    public IReadOnlyCollection<Container> All => _byId.Values.ToList();

    public Task<IReadOnlyList<Container>> LoadAllAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<Container>>(_byId.Values.ToList());

    public Task AddAsync(Container container, CancellationToken ct = default)
    {
        if (_byId.Values.Any(c => c.Name == container.Name) || !_byId.TryAdd(container.Id, container))
            throw NetPortal.Core.Errors.NetPortalException.Conflict($"container {container.Name} already stored");
        return Task.CompletedTask;
    }

    public Task UpdateAsync(Container container, CancellationToken ct = default)
    {
        _byId[container.Id] = container;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string id, CancellationToken ct = default)
    {
        _byId.TryRemove(id, out _);
        return Task.CompletedTask;
    }
}
