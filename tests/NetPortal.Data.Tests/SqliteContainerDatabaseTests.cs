using System.Data;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NetPortal.Core.Errors;

namespace NetPortal.Data.Tests;

/// <summary>The Containers table, the shared database of both stores and the Containers migration, seen from outside.</summary>
public sealed class SqliteContainerDatabaseTests
{
    [Fact]
    public async Task Containers_survive_reopening_the_same_file()
    {
        using var root = new TempDataRoot();
        var kept = SampleContainers.EveryField();
        var removed = SampleContainers.Plain();
        var updated = SampleContainers.Plain();
        var (networks, containers) = NetPortalData.OpenStores(root.Path);
        using (networks)
        using (containers)
        {
            await containers.AddAsync(kept);
            await containers.AddAsync(removed);
            await containers.AddAsync(updated);
            await containers.RemoveAsync(removed.Id);
            await containers.UpdateAsync(updated with { Name = "renamed", RestartCount = 9 });
        }
        SqliteConnection.ClearAllPools();

        var reopened = NetPortalData.OpenStores(root.Path);
        using var n2 = reopened.Networks;
        using var c2 = reopened.Containers;

        var loaded = (await c2.LoadAllAsync()).ToDictionary(c => c.Id);
        Assert.Equal(2, loaded.Count);
        ContainerAssert.Same(kept, loaded[kept.Id]);
        ContainerAssert.Same(updated with { Name = "renamed", RestartCount = 9 }, loaded[updated.Id]);
    }

    [Fact]
    public async Task Both_stores_share_the_one_database_file()
    {
        using var root = new TempDataRoot();
        var network = SampleNetworks.EveryField();
        var container = SampleContainers.EveryField();
        var (networks, containers) = NetPortalData.OpenStores(root.Path);
        using (networks)
        using (containers)
        {
            await networks.AddAsync(network);
            await containers.AddAsync(container);
        }

        Assert.Equal([NetPortalData.DatabaseFileName], Directory.GetFiles(root.Path, "*.db").Select(Path.GetFileName));
        using (var raw = root.OpenRawConnection())
        {
            Assert.Equal(1L, SqliteScalar.Query<long>(raw, "SELECT COUNT(*) FROM Networks"));
            Assert.Equal(1L, SqliteScalar.Query<long>(raw, "SELECT COUNT(*) FROM Containers"));
        }
        // The network-only Open of the same root sees what OpenStores wrote.
        using var legacy = NetPortalData.Open(root.Path);
        NetworkAssert.Same(network, Assert.Single(await legacy.LoadAllAsync()));
    }

    [Fact]
    public async Task In_memory_stores_share_one_open_connection_until_both_are_disposed()
    {
        var (networks, containers) = NetPortalData.OpenInMemoryStores();
        var connection = networks.SharedConnection;
        Assert.NotNull(connection);
        Assert.Same(connection, containers.SharedConnection);
        await networks.AddAsync(SampleNetworks.Bridge());
        await containers.AddAsync(SampleContainers.Plain());

        // Both tables, one database: the rows of both stores are visible through the one connection.
        Assert.Equal(1L, SqliteScalar.Query<long>(connection, "SELECT COUNT(*) FROM Networks"));
        Assert.Equal(1L, SqliteScalar.Query<long>(connection, "SELECT COUNT(*) FROM Containers"));

        // Either store may go first; the database lives until the last one is disposed.
        networks.Dispose();
        networks.Dispose();
        Assert.Equal(ConnectionState.Open, connection.State);
        await containers.AddAsync(SampleContainers.Plain());
        Assert.Equal(2, (await containers.LoadAllAsync()).Count);
        containers.Dispose();
        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Fact]
    public void Separate_in_memory_opens_are_separate_databases()
    {
        var a = NetPortalData.OpenInMemoryStores();
        var b = NetPortalData.OpenInMemoryStores();
        using var single = NetPortalData.OpenInMemory();
        try
        {
            Assert.NotSame(a.Containers.SharedConnection, b.Containers.SharedConnection);
            Assert.NotSame(a.Networks.SharedConnection, single.SharedConnection);
        }
        finally
        {
            a.Networks.Dispose();
            a.Containers.Dispose();
            b.Networks.Dispose();
            b.Containers.Dispose();
        }
    }

    [Fact]
    public void Migration_history_has_both_migrations_in_order()
    {
        using var root = new TempDataRoot();
        var (networks, containers) = NetPortalData.OpenStores(root.Path);
        using var n = networks;
        using var c = containers;
        using var db = NewContext(root);

        using var raw = root.OpenRawConnection();
        var history = SqliteScalar.Column(raw, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId");
        Assert.Equal(2, history.Count);
        Assert.EndsWith("_InitialCreate", history[0], StringComparison.Ordinal);
        Assert.EndsWith("_Containers", history[1], StringComparison.Ordinal);
        Assert.Equal(db.Database.GetMigrations(), history);
        Assert.Empty(db.Database.GetPendingMigrations());
        var tables = SqliteScalar.Column(raw, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT GLOB 'sqlite_*' AND name NOT GLOB '__EF*' ORDER BY name");
        Assert.Equal(["Containers", "IpamAllocations", "IpamPools", "Networks"], tables);
        Assert.Equal(
            "CREATE UNIQUE INDEX \"IX_Containers_Name\" ON \"Containers\" (\"Name\")",
            SqliteScalar.Query<string>(raw, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'IX_Containers_Name'"));
    }

    [Fact]
    public async Task A_database_from_before_containers_is_upgraded_in_place()
    {
        using var root = new TempDataRoot();
        var network = SampleNetworks.EveryField();
        using (var db = NewContext(root))
        {
            db.GetService<IMigrator>().Migrate("InitialCreate");
        }
        using (var old = new SqliteNetworkStore(new ContextFactory(root)))
        {
            await old.AddAsync(network);
        }
        using (var raw = root.OpenRawConnection())
        {
            Assert.Equal(0L, SqliteScalar.Query<long>(raw, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'Containers'"));
        }

        var (networks, containers) = NetPortalData.OpenStores(root.Path);
        using var n = networks;
        using var c = containers;

        NetworkAssert.Same(network, Assert.Single(await networks.LoadAllAsync()));
        var container = SampleContainers.EveryField();
        await containers.AddAsync(container);
        ContainerAssert.Same(container, Assert.Single(await containers.LoadAllAsync()));
    }

    [Fact]
    public async Task Row_holds_the_container_as_json_with_id_name_and_created_columns()
    {
        using var root = new TempDataRoot();
        var (networks, containers) = NetPortalData.OpenStores(root.Path);
        using var n = networks;
        using var c = containers;
        var container = SampleContainers.EveryField();
        await containers.AddAsync(container);

        using var raw = root.OpenRawConnection();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT Id, Name, Created, Document FROM Containers";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(container.Id, reader.GetString(0));
        Assert.Equal("web-1", reader.GetString(1));
        Assert.Equal("2025-11-30T23:59:58.1234567+05:30", reader.GetString(2));
        using var json = JsonDocument.Parse(reader.GetString(3));
        var document = json.RootElement;
        Assert.Equal(1, document.GetProperty("Version").GetInt32());
        Assert.Equal(container.Id, document.GetProperty("Id").GetString());
        // ulong beyond long.MaxValue is written as an exact JSON integer.
        Assert.Equal((ulong.MaxValue - 7).ToString(System.Globalization.CultureInfo.InvariantCulture),
            document.GetProperty("State").GetProperty("PidStartTime").GetRawText());
        Assert.Equal("2025-12-01T00:00:01.9999999-03:30", document.GetProperty("State").GetProperty("StartedAt").GetString());
        Assert.Equal(JsonValueKind.Null, document.GetProperty("Attachments")[1].GetProperty("Endpoint").ValueKind);
        // Computed properties (Hostname, Running, HasIpamConfig) are not stored.
        Assert.False(document.TryGetProperty("Hostname", out _));
        Assert.False(document.GetProperty("State").TryGetProperty("Running", out _));
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task Rejected_add_leaves_no_row_behind()
    {
        using var root = new TempDataRoot();
        var (networks, containers) = NetPortalData.OpenStores(root.Path);
        using var n = networks;
        using var c = containers;
        await containers.AddAsync(SampleContainers.Plain("taken"));

        await Assert.ThrowsAsync<NetPortalException>(() => containers.AddAsync(SampleContainers.EveryField() with { Name = "taken" }));

        using var raw = root.OpenRawConnection();
        Assert.Equal(1L, SqliteScalar.Query<long>(raw, "SELECT COUNT(*) FROM Containers"));
    }

    [Fact]
    public async Task A_document_from_a_newer_version_is_refused_not_misread()
    {
        using var root = new TempDataRoot();
        var (networks, containers) = NetPortalData.OpenStores(root.Path);
        using var n = networks;
        using var c = containers;
        await containers.AddAsync(SampleContainers.Plain());
        using (var raw = root.OpenRawConnection())
        {
            using var command = raw.CreateCommand();
            command.CommandText = "UPDATE Containers SET Document = json_set(Document, '$.Version', 2)";
            command.ExecuteNonQuery();
        }

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => containers.LoadAllAsync());

        Assert.Contains("version 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_take_a_few_milliseconds()
    {
        using var root = new TempDataRoot();
        var (networks, containers) = NetPortalData.OpenStores(root.Path);
        using var n = networks;
        using var c = containers;
        var warmUp = SampleContainers.EveryField();
        await containers.AddAsync(warmUp);
        await containers.UpdateAsync(warmUp);
        await containers.LoadAllAsync();
        await containers.RemoveAsync(warmUp.Id);

        const int rounds = 50;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            var container = SampleContainers.EveryField() with { Id = $"{i:x4}".PadLeft(64, 'f'), Name = $"perf{i}" };
            await containers.AddAsync(container);
            await containers.UpdateAsync(container with { RestartCount = 1 });
            await containers.RemoveAsync(container.Id);
        }
        clock.Stop();

        // Speed lives in the benchmarks (docs/benchmarks.md); here only the outcome of the loop is checked.
        Assert.Empty(await containers.LoadAllAsync());
    }

    private static NetPortalDbContext NewContext(TempDataRoot root) =>
        new(new DbContextOptionsBuilder<NetPortalDbContext>()
            .UseNetPortalSqlite(NetPortalData.ConnectionStringFor(root.Path))
            .Options);

    private sealed class ContextFactory(TempDataRoot root) : IDbContextFactory<NetPortalDbContext>
    {
        public NetPortalDbContext CreateDbContext() => NewContext(root);
    }
}
