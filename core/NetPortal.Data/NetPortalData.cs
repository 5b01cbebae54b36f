using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace NetPortal.Data;

/// <summary>Opens the NetPortal database (migrated, WAL, foreign keys on) and the stores over it.</summary>
public static class NetPortalData
{
    public const string DatabaseFileName = "netportal.db";

    /// <summary>Opens (creating if needed) <c>&lt;dataRoot&gt;/netportal.db</c>, applies pending migrations and returns the network store.</summary>
    public static SqliteNetworkStore Open(string dataRoot) => new(OpenFile(dataRoot));

    /// <summary>A private in-memory database that lives as long as the returned store; calls are serialized on its one connection.</summary>
    public static SqliteNetworkStore OpenInMemory()
    {
        var (contexts, shared) = OpenMemory();
        try
        {
            return new SqliteNetworkStore(contexts, shared);
        }
        finally
        {
            shared.Release();
        }
    }

    /// <summary>
    /// Opens (creating if needed) <c>&lt;dataRoot&gt;/netportal.db</c>, applies pending migrations once and returns
    /// both stores over that one file. Disposing them is optional (they hold no connection between calls).
    /// </summary>
    public static (SqliteNetworkStore Networks, SqliteContainerStore Containers) OpenStores(string dataRoot)
    {
        var contexts = OpenFile(dataRoot);
        return (new SqliteNetworkStore(contexts), new SqliteContainerStore(contexts));
    }

    /// <summary>
    /// Both stores over one private in-memory database (one open connection, on which all calls of both stores take
    /// turns). The database lives until both stores are disposed, in either order.
    /// </summary>
    public static (SqliteNetworkStore Networks, SqliteContainerStore Containers) OpenInMemoryStores()
    {
        var (contexts, shared) = OpenMemory();
        SqliteNetworkStore? networks = null;
        try
        {
            networks = new SqliteNetworkStore(contexts, shared);
            return (networks, new SqliteContainerStore(contexts, shared));
        }
        catch
        {
            networks?.Dispose();
            throw;
        }
        finally
        {
            // The stores hold their own references now; the connection closes with the last of them.
            shared.Release();
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

    private static NetPortalDbContextFactory OpenFile(string dataRoot)
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
        return contexts;
    }

    /// <summary>A migrated in-memory database; the caller owns the first reference on the connection.</summary>
    private static (NetPortalDbContextFactory Contexts, SharedSqliteConnection Shared) OpenMemory()
    {
        var shared = SharedSqliteConnection.OpenInMemory();
        try
        {
            var options = new DbContextOptionsBuilder<NetPortalDbContext>()
                .UseNetPortalSqlite(shared.Connection)
                .Options;
            var contexts = new NetPortalDbContextFactory(options);
            using (var db = contexts.CreateDbContext())
            {
                Migrate(db);
            }
            return (contexts, shared);
        }
        catch
        {
            shared.Release();
            throw;
        }
    }
}
