using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace NetPortal.Data;

/// <summary>Opens the NetPortal database: migrated, WAL, foreign keys on.</summary>
public static class NetPortalData
{
    public const string DatabaseFileName = "netportal.db";

    /// <summary>Opens (creating if needed) <c>&lt;dataRoot&gt;/netportal.db</c>, applies pending migrations and returns the store.</summary>
    public static SqliteNetworkStore Open(string dataRoot)
    {
        Directory.CreateDirectory(dataRoot);
        var options = new DbContextOptionsBuilder<NetPortalDbContext>()
            .UseNetPortalSqlite(ConnectionStringFor(dataRoot))
            .Options;
        var contexts = new NetPortalDbContextFactory(options);
        using (var db = contexts.CreateDbContext())
        {
            Migrate(db);
        }
        return new SqliteNetworkStore(contexts);
    }

    /// <summary>A private in-memory database that lives as long as the returned store; calls are serialized on its one connection.</summary>
    public static SqliteNetworkStore OpenInMemory()
    {
        // Each connection to :memory: is its own database, so the store keeps this one open and shares it.
        var connection = new SqliteConnection("Data Source=:memory:");
        try
        {
            connection.Open();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = SqlitePragmaInterceptor.Pragmas;
                command.ExecuteNonQuery();
            }
            var options = new DbContextOptionsBuilder<NetPortalDbContext>()
                .UseNetPortalSqlite(connection)
                .Options;
            var contexts = new NetPortalDbContextFactory(options);
            using (var db = contexts.CreateDbContext())
            {
                Migrate(db);
            }
            return new SqliteNetworkStore(contexts, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static string ConnectionStringFor(string dataRoot) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Path.GetFullPath(dataRoot), DatabaseFileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();

    /// <summary>SQLite plus the per-connection pragmas (foreign_keys=ON, synchronous=NORMAL).</summary>
    public static DbContextOptionsBuilder<NetPortalDbContext> UseNetPortalSqlite(
        this DbContextOptionsBuilder<NetPortalDbContext> builder, string connectionString) =>
        builder.UseSqlite(connectionString).AddInterceptors(SqlitePragmaInterceptor.Instance);

    /// <summary>As the connection-string overload; an already open connection is not re-opened by EF, so set its pragmas yourself.</summary>
    public static DbContextOptionsBuilder<NetPortalDbContext> UseNetPortalSqlite(
        this DbContextOptionsBuilder<NetPortalDbContext> builder, DbConnection connection) =>
        builder.UseSqlite(connection).AddInterceptors(SqlitePragmaInterceptor.Instance);

    /// <summary>Applies pending migrations, then switches the file to WAL (a persistent setting; in-memory databases stay "memory").</summary>
    public static void Migrate(NetPortalDbContext db)
    {
        db.Database.Migrate();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }
}
