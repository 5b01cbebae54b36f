using Microsoft.Data.Sqlite;

namespace NetPortal.Data;

/// <summary>
/// One open connection that several stores use together (an in-memory database lives only as long as its
/// connection). A SqliteConnection is not thread-safe, so users take turns through <see cref="Gate"/>;
/// the connection closes when the last reference is released.
/// </summary>
internal sealed class SharedSqliteConnection
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _references = 1;

    private SharedSqliteConnection(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>A private in-memory database with the per-connection pragmas set; the caller holds the first reference.</summary>
    public static SharedSqliteConnection OpenInMemory()
    {
        // Each connection to :memory: is its own database, so this one is kept open and shared.
        var connection = new SqliteConnection("Data Source=:memory:");
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // EF does not re-open an already open connection, so the interceptor would never run for it.
            command.CommandText = SqlitePragmaInterceptor.Pragmas;
            command.ExecuteNonQuery();
            return new SharedSqliteConnection(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void AddReference()
    {
        if (Interlocked.Increment(ref _references) <= 1)
        {
            throw new ObjectDisposedException(nameof(SharedSqliteConnection));
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Connection.Dispose();
            _gate.Dispose();
        }
    }

    /// <summary>Taken around every use of <see cref="Connection"/>.</summary>
    public SemaphoreSlim Gate => _gate;
}
