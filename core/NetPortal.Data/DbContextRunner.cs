using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace NetPortal.Data;

/// <summary>
/// Runs each store call on its own short-lived context, one call at a time per database (per shared connection,
/// or per context factory, which the stores of one database file share).
/// </summary>
/// <remarks>
/// Why one at a time on a file too: SQLite has one writer. A second connection's BEGIN IMMEDIATE gets SQLITE_BUSY,
/// and Microsoft.Data.Sqlite answers that by sleeping 150 ms and retrying, on the calling thread. With 8 concurrent
/// network creates that made the 90th percentile 170 ms for a write that takes 1 ms. Taking turns in the process
/// costs nothing: the daemon is the database's only user.
/// </remarks>
internal sealed class DbContextRunner : IDisposable
{
    private static readonly ConditionalWeakTable<IDbContextFactory<NetPortalDbContext>, SemaphoreSlim> FileGates = new();

    private readonly IDbContextFactory<NetPortalDbContext> _contexts;
    private readonly SharedSqliteConnection? _shared;
    private int _disposed;

    /// <summary>Takes its own reference on <paramref name="shared"/>, released by <see cref="Dispose"/>.</summary>
    public DbContextRunner(IDbContextFactory<NetPortalDbContext> contexts, SharedSqliteConnection? shared)
    {
        shared?.AddReference();
        _contexts = contexts;
        _shared = shared;
    }

    public SqliteConnection? SharedConnection => _shared?.Connection;

    public async Task<T> RunAsync<T>(Func<NetPortalDbContext, Task<T>> work, CancellationToken ct)
    {
        var gate = _shared?.Gate ?? FileGates.GetValue(_contexts, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            await using var db = await _contexts.CreateDbContextAsync(ct);
            return await work(db);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _shared?.Release();
        }
    }
}
