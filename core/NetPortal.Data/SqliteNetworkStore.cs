using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;

namespace NetPortal.Data;

/// <summary>
/// <see cref="INetworkStore"/> on SQLite: one short-lived context and one transaction per call.
/// Open it with <see cref="NetPortalData.Open"/> or <see cref="NetPortalData.OpenInMemory"/>.
/// </summary>
public sealed class SqliteNetworkStore : INetworkStore, IDisposable
{
    // SQLITE_CONSTRAINT (https://sqlite.org/rescode.html#constraint).
    private const int SqliteConstraint = 19;

    private readonly IDbContextFactory<NetPortalDbContext> _contexts;
    private readonly SqliteConnection? _sharedConnection;
    private readonly SemaphoreSlim? _gate;

    /// <summary>Uses a context factory whose database is already migrated (see <see cref="NetPortalData.Migrate"/>).</summary>
    public SqliteNetworkStore(IDbContextFactory<NetPortalDbContext> contexts)
        : this(contexts, sharedConnection: null)
    {
    }

    /// <summary>Owns <paramref name="sharedConnection"/>; a SqliteConnection is not thread-safe, so calls take turns on it.</summary>
    internal SqliteNetworkStore(IDbContextFactory<NetPortalDbContext> contexts, SqliteConnection? sharedConnection)
    {
        _contexts = contexts;
        _sharedConnection = sharedConnection;
        _gate = sharedConnection is null ? null : new SemaphoreSlim(1, 1);
    }

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

    public void Dispose()
    {
        _sharedConnection?.Dispose();
        _gate?.Dispose();
    }

    private static NetPortalException ConflictFor(Network network, bool nameTaken) =>
        nameTaken
            ? NetPortalException.Conflict($"network with name {network.Name} already exists")
            : NetPortalException.Conflict($"network with id {network.Id} already exists");

    private async Task<T> RunAsync<T>(Func<NetPortalDbContext, Task<T>> work, CancellationToken ct)
    {
        if (_gate is not null)
        {
            await _gate.WaitAsync(ct);
        }
        try
        {
            await using var db = await _contexts.CreateDbContextAsync(ct);
            return await work(db);
        }
        finally
        {
            _gate?.Release();
        }
    }
}
