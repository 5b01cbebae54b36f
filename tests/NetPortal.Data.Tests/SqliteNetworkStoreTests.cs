using NetPortal.Core.Errors;
using NetPortal.Core.Networks;

namespace NetPortal.Data.Tests;

/// <summary>The INetworkStore contract, against both the in-memory and the file database.</summary>
public sealed class SqliteNetworkStoreTests
{
    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Empty_store_loads_nothing(string mode)
    {
        using var sut = StoreUnderTest.Open(mode);

        Assert.Empty(await sut.Store.LoadAllAsync());
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Every_field_round_trips(string mode)
    {
        using var sut = StoreUnderTest.Open(mode);
        var network = SampleNetworks.EveryField();

        await sut.Store.AddAsync(network);
        var loaded = Assert.Single(await sut.Store.LoadAllAsync());

        NetworkAssert.Same(network, loaded);
        Assert.True(loaded.Pools[1].IsIPv6);
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Null_ipam_options_stay_null_and_empty_maps_stay_empty(string mode)
    {
        using var sut = StoreUnderTest.Open(mode);
        var predefined = new Network
        {
            Id = new string('b', 64),
            Name = "bridge",
            IpamOptions = null,
            Pools = [new IpamPool("172.17.0.0/16", null, "172.17.0.1", false, false, new Dictionary<string, string>())],
        };
        var plain = SampleNetworks.Bridge() with { Pools = [] };

        await sut.Store.AddAsync(predefined);
        await sut.Store.AddAsync(plain);
        var loaded = (await sut.Store.LoadAllAsync()).ToDictionary(n => n.Id);

        Assert.Null(loaded[predefined.Id].IpamOptions);
        NetworkAssert.Same(predefined, loaded[predefined.Id]);
        Assert.NotNull(loaded[plain.Id].IpamOptions);
        Assert.Empty(loaded[plain.Id].IpamOptions!);
        Assert.Empty(loaded[plain.Id].Pools);
        NetworkAssert.Same(plain, loaded[plain.Id]);
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Duplicate_name_is_a_conflict_and_writes_nothing(string mode)
    {
        using var sut = StoreUnderTest.Open(mode);
        var first = SampleNetworks.Bridge("shared-name");
        await sut.Store.AddAsync(first);
        var second = SampleNetworks.EveryField() with { Name = "shared-name" };

        var e = await Assert.ThrowsAsync<NetPortalException>(() => sut.Store.AddAsync(second));

        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal("network with name shared-name already exists", e.Message);
        var only = Assert.Single(await sut.Store.LoadAllAsync());
        NetworkAssert.Same(first, only);
        // The rejected network's id is still free, pools included: adding it under another name succeeds.
        await sut.Store.AddAsync(second with { Name = "other-name" });
        Assert.Equal(2, (await sut.Store.LoadAllAsync()).Count);
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Duplicate_id_is_a_conflict_and_writes_nothing(string mode)
    {
        using var sut = StoreUnderTest.Open(mode);
        var first = SampleNetworks.EveryField();
        await sut.Store.AddAsync(first);

        var e = await Assert.ThrowsAsync<NetPortalException>(
            () => sut.Store.AddAsync(SampleNetworks.Bridge("fresh-name") with { Id = first.Id }));

        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal($"network with id {first.Id} already exists", e.Message);
        NetworkAssert.Same(first, Assert.Single(await sut.Store.LoadAllAsync()));
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Remove_deletes_only_that_network(string mode)
    {
        using var sut = StoreUnderTest.Open(mode);
        var keep = SampleNetworks.Bridge();
        var drop = SampleNetworks.EveryField();
        await sut.Store.AddAsync(keep);
        await sut.Store.AddAsync(drop);

        await sut.Store.RemoveAsync(drop.Id);

        NetworkAssert.Same(keep, Assert.Single(await sut.Store.LoadAllAsync()));
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Remove_of_unknown_id_is_not_an_error(string mode)
    {
        using var sut = StoreUnderTest.Open(mode);
        var keep = SampleNetworks.Bridge();
        await sut.Store.AddAsync(keep);

        await sut.Store.RemoveAsync("no-such-id");
        await sut.Store.RemoveAsync(keep.Id);
        await sut.Store.RemoveAsync(keep.Id);

        Assert.Empty(await sut.Store.LoadAllAsync());
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Removed_id_and_name_can_be_added_again_with_new_pools(string mode)
    {
        // If the pools had outlived their network (no ON DELETE CASCADE, or foreign_keys off on the
        // connection), the re-add would hit the (NetworkId, Ordinal) primary key of IpamPools.
        using var sut = StoreUnderTest.Open(mode);
        var original = SampleNetworks.EveryField();
        await sut.Store.AddAsync(original);
        await sut.Store.RemoveAsync(original.Id);
        var again = original with
        {
            Pools = [new IpamPool("192.168.50.0/24", null, "192.168.50.1", true, true, new Dictionary<string, string>())],
        };

        await sut.Store.AddAsync(again);

        NetworkAssert.Same(again, Assert.Single(await sut.Store.LoadAllAsync()));
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Concurrent_adds_of_one_name_let_exactly_one_win(string mode)
    {
        using var sut = StoreUnderTest.Open(mode);
        var candidates = Enumerable.Range(0, 8).Select(_ => SampleNetworks.Bridge("contested")).ToList();

        var results = await Task.WhenAll(candidates.Select(async n =>
        {
            try
            {
                await sut.Store.AddAsync(n);
                return (ErrorKind?)null;
            }
            catch (NetPortalException e)
            {
                return e.Kind;
            }
        }));

        Assert.Single(results, r => r is null);
        Assert.Equal(7, results.Count(r => r == ErrorKind.Conflict));
        Assert.Single(await sut.Store.LoadAllAsync());
    }
}
