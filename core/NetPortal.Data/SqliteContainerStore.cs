using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NetPortal.Core.Containers;
using NetPortal.Core.Errors;

namespace NetPortal.Data;

/// <summary>
/// <see cref="IContainerStore"/> on SQLite: one row per container holding the whole container as a JSON document,
/// one short-lived context and one transaction per call.
/// Open it with <see cref="NetPortalData.OpenStores"/> or <see cref="NetPortalData.OpenInMemoryStores"/>.
/// </summary>
public sealed class SqliteContainerStore : IContainerStore, IDisposable
{
    // SQLITE_CONSTRAINT (https://sqlite.org/rescode.html#constraint).
    private const int SqliteConstraint = 19;

    private readonly DbContextRunner _runner;

    /// <summary>Uses a context factory whose database is already migrated (see <see cref="NetPortalData.Migrate"/>).</summary>
    public SqliteContainerStore(IDbContextFactory<NetPortalDbContext> contexts)
        : this(contexts, shared: null)
    {
    }

    /// <summary>Holds a reference on <paramref name="shared"/> until disposed; calls take turns on it with its other users.</summary>
    internal SqliteContainerStore(IDbContextFactory<NetPortalDbContext> contexts, SharedSqliteConnection? shared) =>
        _runner = new DbContextRunner(contexts, shared);

    /// <summary>All containers, oldest first (by instant, then name).</summary>
    public Task<IReadOnlyList<Container>> LoadAllAsync(CancellationToken ct = default) =>
        _runner.RunAsync<IReadOnlyList<Container>>(async db =>
        {
            var documents = await db.Containers.AsNoTracking().Select(c => c.Document).ToListAsync(ct);
            return documents
                .Select(ContainerMapping.ToContainer)
                .OrderBy(c => c.Created)
                .ThenBy(c => c.Name, StringComparer.Ordinal)
                .ToList();
        }, ct);

    public Task AddAsync(Container container, CancellationToken ct = default) =>
        _runner.RunAsync(async db =>
        {
            var entity = ContainerMapping.ToEntity(container);
            // BeginTransaction is BEGIN IMMEDIATE in Microsoft.Data.Sqlite: the write lock is held from the check to the insert.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (await ClashAsync(db, container, sameIdClashes: true, ct) is { } clash)
            {
                throw clash;
            }

            db.Containers.Add(entity);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (IsConstraintViolation(e))
            {
                throw await ClashAsync(db, container, sameIdClashes: true, ct)
                    ?? NetPortalException.Conflict($"container {container.Id} could not be added: {e.InnerException!.Message}");
            }
            await tx.CommitAsync(ct);
            return true;
        }, ct);

    public Task UpdateAsync(Container container, CancellationToken ct = default) =>
        _runner.RunAsync(async db =>
        {
            var entity = ContainerMapping.ToEntity(container);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // A new name must not belong to another container (the same container keeping its name is fine).
            if (await ClashAsync(db, container, sameIdClashes: false, ct) is { } clash)
            {
                throw clash;
            }

            var updated = await db.Containers
                .Where(c => c.Id == entity.Id)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Name, entity.Name)
                    .SetProperty(c => c.Created, entity.Created)
                    .SetProperty(c => c.Document, entity.Document), ct);
            if (updated == 0)
            {
                throw NetPortalException.NotFound($"No such container: {container.Id}");
            }
            await tx.CommitAsync(ct);
            return true;
        }, ct);

    public Task RemoveAsync(string id, CancellationToken ct = default) =>
        _runner.RunAsync(async db => await db.Containers.Where(c => c.Id == id).ExecuteDeleteAsync(ct), ct);

    /// <summary>Releases this store's hold on a shared in-memory connection; nothing to do for a file database.</summary>
    public void Dispose() => _runner.Dispose();

    /// <summary>The one open connection of an in-memory database (shared with the other stores opened with it); null for a file.</summary>
    internal SqliteConnection? SharedConnection => _runner.SharedConnection;

    /// <summary>Docker's message for a taken name, naming the container that holds it.</summary>
    internal static string NameInUse(string name, string holderId) =>
        $"Conflict. The container name \"/{name}\" is already in use by container \"{holderId}\". " +
        "You have to remove (or rename) that container to be able to reuse that name.";

    /// <summary>
    /// The conflict <paramref name="container"/> would cause: its name held by another row (or, with
    /// <paramref name="sameIdClashes"/>, by any row), else its id already taken when adding; null when none.
    /// </summary>
    private static async Task<NetPortalException?> ClashAsync(
        NetPortalDbContext db, Container container, bool sameIdClashes, CancellationToken ct)
    {
        var rows = await db.Containers
            .AsNoTracking()
            .Where(c => c.Name == container.Name || (sameIdClashes && c.Id == container.Id))
            .Select(c => new { c.Id, c.Name })
            .ToListAsync(ct);
        var holder = rows.FirstOrDefault(r => r.Name == container.Name && (sameIdClashes || r.Id != container.Id));
        if (holder is not null)
        {
            return NetPortalException.Conflict(NameInUse(container.Name, holder.Id));
        }
        if (sameIdClashes && rows.Any(r => r.Id == container.Id))
        {
            return NetPortalException.Conflict($"Conflict. A container with ID \"{container.Id}\" already exists.");
        }
        return null;
    }

    private static bool IsConstraintViolation(DbUpdateException e) =>
        e.InnerException is SqliteException { SqliteErrorCode: SqliteConstraint };
}
