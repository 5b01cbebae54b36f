using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;

namespace NetPortal.Data;

/// <summary>
/// <see cref="INetworkStore"/> on SQLite: one short-lived context and one transaction per call.
/// Open it with <see cref="NetPortalData.Open"/>, <see cref="NetPortalData.OpenStores"/> or their in-memory variants.
/// </summary>
public sealed class SqliteNetworkStore : INetworkStore, IDisposable
{
    // SQLITE_CONSTRAINT (https://sqlite.org/rescode.html#constraint).
    private const int SqliteConstraint = 19;

    private readonly DbContextRunner _runner;

    /// <summary>Uses a context factory whose database is already migrated (see <see cref="NetPortalData.Migrate"/>).</summary>
    public SqliteNetworkStore(IDbContextFactory<NetPortalDbContext> contexts)
        : this(contexts, shared: null)
    {
    }

    /// <summary>Holds a reference on <paramref name="shared"/> until disposed; calls take turns on it with its other users.</summary>
    internal SqliteNetworkStore(IDbContextFactory<NetPortalDbContext> contexts, SharedSqliteConnection? shared) =>
        _runner = new DbContextRunner(contexts, shared);

    public Task<IReadOnlyList<Network>> LoadAllAsync(CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<Network>>(async db =>
        {
            var rows = await db.Networks
                .AsNoTracking()
                .Include(n => n.Pools.OrderBy(p => p.Ordinal))
                .ToListAsync(ct);
            return rows
                .Select(NetworkMapping.ToNetwork)
                .OrderBy(n => n.Created)
                .ThenBy(n => n.Name, StringComparer.Ordinal)
                .ToList();
        }, ct);

    public Task AddAsync(Network network, CancellationToken ct = default) =>
        RunAsync(async db =>
        {
            // BeginTransaction is BEGIN IMMEDIATE in Microsoft.Data.Sqlite: the write lock is held from the check to the insert.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var clash = await db.Networks
                .AsNoTracking()
                .Where(n => n.Id == network.Id || n.Name == network.Name)
                .Select(n => n.Name)
                .FirstOrDefaultAsync(ct);
            if (clash is not null)
            {
                throw ConflictFor(network, nameTaken: clash == network.Name);
            }

            db.Networks.Add(NetworkMapping.ToEntity(network));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.InnerException is SqliteException { SqliteErrorCode: SqliteConstraint } se)
            {
                throw ConflictFor(network, nameTaken: se.Message.Contains("Networks.Name", StringComparison.Ordinal));
            }
            await tx.CommitAsync(ct);
            return true;
        }, ct);

    public Task RemoveAsync(string id, CancellationToken ct = default) =>
        // One DELETE statement; the pools and allocations go with it through ON DELETE CASCADE.
        RunAsync(async db => await db.Networks.Where(n => n.Id == id).ExecuteDeleteAsync(ct), ct);

    /// <summary>Releases this store's hold on a shared in-memory connection; nothing to do for a file database.</summary>
    public void Dispose() => _runner.Dispose();

    /// <summary>The one open connection of an in-memory database (shared with the other stores opened with it); null for a file.</summary>
    internal SqliteConnection? SharedConnection => _runner.SharedConnection;

    private static NetPortalException ConflictFor(Network network, bool nameTaken) =>
        nameTaken
            ? NetPortalException.Conflict($"network with name {network.Name} already exists")
            : NetPortalException.Conflict($"network with id {network.Id} already exists");

    private Task<T> RunAsync<T>(Func<NetPortalDbContext, Task<T>> work, CancellationToken ct) => _runner.RunAsync(work, ct);
}
