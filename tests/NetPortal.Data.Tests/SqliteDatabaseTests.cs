using Microsoft.EntityFrameworkCore;

namespace NetPortal.Data.Tests;

/// <summary>What the store leaves in the SQLite file, checked through a separate plain connection.</summary>
public sealed class SqliteDatabaseTests
{
    [Fact]
    public async Task Open_creates_netportal_db_under_the_data_root()
    {
        using var root = new TempDataRoot();
        var dataRoot = Path.Combine(root.Path, "nested", "data");

        using (var store = NetPortalData.Open(dataRoot))
        {
            await store.AddAsync(SampleNetworks.Bridge());
        }

        Assert.True(File.Exists(Path.Combine(dataRoot, "netportal.db")));
    }

    [Fact]
    public async Task Networks_survive_reopening_the_same_file()
    {
        using var root = new TempDataRoot();
        var a = SampleNetworks.EveryField();
        var b = SampleNetworks.Bridge();
        using (var store = NetPortalData.Open(root.Path))
        {
            await store.AddAsync(a);
            await store.AddAsync(b);
            await store.RemoveAsync(b.Id);
        }

        using var reopened = NetPortalData.Open(root.Path);

        NetworkAssert.Same(a, Assert.Single(await reopened.LoadAllAsync()));
    }

    [Fact]
    public void Journal_mode_is_wal()
    {
        using var root = new TempDataRoot();
        using var store = NetPortalData.Open(root.Path);

        // journal_mode=WAL is stored in the file, so any later connection sees it.
        using var raw = root.OpenRawConnection();
        Assert.Equal("wal", SqliteScalar.Query<string>(raw, "PRAGMA journal_mode"));
    }

    [Fact]
    public void Store_connections_have_foreign_keys_on_and_synchronous_normal()
    {
        using var root = new TempDataRoot();
        using var store = NetPortalData.Open(root.Path);
        var options = new DbContextOptionsBuilder<NetPortalDbContext>()
            .UseNetPortalSqlite(NetPortalData.ConnectionStringFor(root.Path))
            .Options;

        // Twice: the second open reuses the pooled connection and must still carry the pragmas.
        for (var i = 0; i < 2; i++)
        {
            using var db = new NetPortalDbContext(options);
            db.Database.OpenConnection();
            var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
            Assert.Equal(1L, SqliteScalar.Query<long>(connection, "PRAGMA foreign_keys"));
            Assert.Equal(1L, SqliteScalar.Query<long>(connection, "PRAGMA synchronous"));
            db.Database.CloseConnection();
        }

        // A plain connection has SQLite's defaults, so the values above came from the interceptor.
        using var raw = root.OpenRawConnection();
        Assert.Equal(2L, SqliteScalar.Query<long>(raw, "PRAGMA synchronous"));
    }

    [Fact]
    public void Migrations_are_applied_and_recorded()
    {
        using var root = new TempDataRoot();
        using var store = NetPortalData.Open(root.Path);
        var options = new DbContextOptionsBuilder<NetPortalDbContext>()
            .UseNetPortalSqlite(NetPortalData.ConnectionStringFor(root.Path))
            .Options;
        using var db = new NetPortalDbContext(options);

        using var raw = root.OpenRawConnection();
        var history = SqliteScalar.Column(raw, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId");
        Assert.Contains(history, id => id.EndsWith("_InitialCreate", StringComparison.Ordinal));
        Assert.Equal(db.Database.GetMigrations(), history);
        Assert.Empty(db.Database.GetPendingMigrations());
        // EF's own bookkeeping (__EFMigrationsHistory, __EFMigrationsLock) aside, exactly the model's tables.
        var tables = SqliteScalar.Column(raw, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT GLOB 'sqlite_*' AND name NOT GLOB '__EF*' ORDER BY name");
        Assert.Equal(["Containers", "IpamAllocations", "IpamPools", "Networks"], tables);
    }

    [Fact]
    public async Task Remove_cascades_to_pools_and_allocations()
    {
        using var root = new TempDataRoot();
        using var store = NetPortalData.Open(root.Path);
        var drop = SampleNetworks.EveryField();
        var keep = SampleNetworks.Bridge();
        await store.AddAsync(drop);
        await store.AddAsync(keep);
        using var raw = root.OpenRawConnection();
        Execute(raw, $"INSERT INTO IpamAllocations (NetworkId, Address, Owner) VALUES ('{drop.Id}', '172.28.5.2', 'ep1'), ('{keep.Id}', '10.1.0.2', 'ep2')");
        Assert.Equal(3L, CountFor(raw, "IpamPools", drop.Id));

        await store.RemoveAsync(drop.Id);

        Assert.Equal(0L, CountFor(raw, "IpamPools", drop.Id));
        Assert.Equal(0L, CountFor(raw, "IpamAllocations", drop.Id));
        Assert.Equal(1L, CountFor(raw, "IpamPools", keep.Id));
        Assert.Equal(1L, CountFor(raw, "IpamAllocations", keep.Id));
    }

    [Fact]
    public async Task Rejected_add_leaves_no_rows_behind()
    {
        using var root = new TempDataRoot();
        using var store = NetPortalData.Open(root.Path);
        await store.AddAsync(SampleNetworks.Bridge("taken"));
        var rejected = SampleNetworks.EveryField() with { Name = "taken" };

        await Assert.ThrowsAsync<NetPortal.Core.Errors.NetPortalException>(() => store.AddAsync(rejected));

        using var raw = root.OpenRawConnection();
        Assert.Equal(1L, SqliteScalar.Query<long>(raw, "SELECT COUNT(*) FROM Networks"));
        Assert.Equal(0L, CountFor(raw, "IpamPools", rejected.Id));
    }

    [Fact]
    public async Task Pools_load_in_ordinal_order()
    {
        using var root = new TempDataRoot();
        using var store = NetPortalData.Open(root.Path);
        var network = SampleNetworks.EveryField();
        await store.AddAsync(network);
        using (var raw = root.OpenRawConnection())
        {
            // Reverse the stored order (0,1,2 -> 2,1,0) without touching insertion order; two steps
            // because the primary key (NetworkId, Ordinal) is checked row by row.
            Execute(raw, "UPDATE IpamPools SET Ordinal = Ordinal + 10");
            Execute(raw, "UPDATE IpamPools SET Ordinal = 12 - Ordinal");
        }

        var loaded = Assert.Single(await store.LoadAllAsync());

        Assert.Equal(network.Pools.Select(p => p.Subnet).Reverse(), loaded.Pools.Select(p => p.Subnet));
    }

    [Fact]
    public async Task Networks_load_in_created_order()
    {
        using var root = new TempDataRoot();
        using var store = NetPortalData.Open(root.Path);
        var t0 = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        // Later in UTC but earlier on the wall clock: ordering must be by instant, not by text.
        var late = SampleNetworks.Bridge() with { Created = t0.ToOffset(TimeSpan.FromHours(-8)).AddMinutes(1) };
        var early = SampleNetworks.Bridge() with { Created = t0.ToOffset(TimeSpan.FromHours(9)) };
        await store.AddAsync(late);
        await store.AddAsync(early);

        var loaded = await store.LoadAllAsync();

        Assert.Equal([early.Id, late.Id], loaded.Select(n => n.Id));
    }

    private static long CountFor(Microsoft.Data.Sqlite.SqliteConnection raw, string table, string networkId) =>
        SqliteScalar.Query<long>(raw, $"SELECT COUNT(*) FROM {table} WHERE NetworkId = '{networkId}'");

    private static void Execute(Microsoft.Data.Sqlite.SqliteConnection raw, string sql)
    {
        using var command = raw.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
