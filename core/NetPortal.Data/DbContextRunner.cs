using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace NetPortal.Data;

/// <summary>Runs each store call on its own short-lived context; on a shared connection, one call at a time.</summary>
internal sealed class DbContextRunner : IDisposable
{
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
        if (_shared is null)
        {
            await using var db = await _contexts.CreateDbContextAsync(ct);
            return await work(db);
        }

        await _shared.EnterAsync(ct);
        try
        {
            await using var db = await _contexts.CreateDbContextAsync(ct);
            return await work(db);
        }
        finally
        {
            _shared.Exit();
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
