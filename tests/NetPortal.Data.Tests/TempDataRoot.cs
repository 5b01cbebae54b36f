using Microsoft.Data.Sqlite;

namespace NetPortal.Data.Tests;

/// <summary>A fresh data root under the temp directory, deleted on dispose.</summary>
internal sealed class TempDataRoot : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("netportal-data-tests-").FullName;

    public string DatabaseFile => System.IO.Path.Combine(Path, NetPortalData.DatabaseFileName);

    /// <summary>A plain connection (no interceptor) for looking at the file from outside the store.</summary>
    public SqliteConnection OpenRawConnection()
    {
        var connection = new SqliteConnection($"Data Source={DatabaseFile};Mode=ReadWrite;Pooling=False");
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        // Pooled connections keep the file (and its -wal/-shm) open until the pool lets go.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
