namespace NetPortal.Core.Networks;

/// <summary>Durable record of networks; each call is one transaction.</summary>
public interface INetworkStore
{
    Task<IReadOnlyList<Network>> LoadAllAsync(CancellationToken ct = default);

    /// <summary>Fails (and writes nothing) if the id or the name already exists.</summary>
    Task AddAsync(Network network, CancellationToken ct = default);

    /// <summary>Removing an unknown id is not an error.</summary>
    Task RemoveAsync(string id, CancellationToken ct = default);
}
