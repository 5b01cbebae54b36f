namespace NetPortal.Core.Containers;

/// <summary>Durable record of containers (with their attachments and live endpoints); each call is one transaction.</summary>
public interface IContainerStore
{
    Task<IReadOnlyList<Container>> LoadAllAsync(CancellationToken ct = default);

    /// <summary>Fails (Conflict) without writing when the id or the name exists.</summary>
    Task AddAsync(Container container, CancellationToken ct = default);

    /// <summary>Replaces the stored container with the same id.</summary>
    Task UpdateAsync(Container container, CancellationToken ct = default);

    /// <summary>Removing an unknown id is not an error.</summary>
    Task RemoveAsync(string id, CancellationToken ct = default);
}
