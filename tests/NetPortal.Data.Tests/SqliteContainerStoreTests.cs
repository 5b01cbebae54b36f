using NetPortal.Core.Errors;

namespace NetPortal.Data.Tests;

/// <summary>The IContainerStore contract, against both the in-memory and the file database.</summary>
public sealed class SqliteContainerStoreTests
{
    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Empty_store_loads_nothing(string mode)
    {
        using var sut = StoresUnderTest.Open(mode);

        Assert.Empty(await sut.Containers.LoadAllAsync());
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Every_field_round_trips(string mode)
    {
        using var sut = StoresUnderTest.Open(mode);
        var container = SampleContainers.EveryField();

        await sut.Containers.AddAsync(container);
        var loaded = Assert.Single(await sut.Containers.LoadAllAsync());

        ContainerAssert.Same(container, loaded);
        Assert.NotNull(loaded.Attachments[0].Endpoint);
        Assert.Null(loaded.Attachments[1].Endpoint);
        Assert.Equal(ulong.MaxValue - 7, loaded.State.PidStartTime);
        Assert.True(loaded.State.Running);
        Assert.Null(loaded.Attachments[0].Config.IPv6Address);
        Assert.Empty(loaded.Spec.PortBindings["53/udp"]);
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Defaults_round_trip_as_defaults(string mode)
    {
        using var sut = StoresUnderTest.Open(mode);
        // Short id: the computed Hostname (Id[..12]) must never be touched by the store.
        var container = SampleContainers.Plain() with { Id = "short" };

        await sut.Containers.AddAsync(container);
        var loaded = Assert.Single(await sut.Containers.LoadAllAsync());

        ContainerAssert.Same(container with { Id = "short-enough-" }, loaded with { Id = "short-enough-" });
        Assert.Equal("short", loaded.Id);
        Assert.Null(loaded.Sandbox);
        Assert.Null(loaded.State.StartedAt);
        Assert.Null(loaded.State.FinishedAt);
        Assert.Equal("created", loaded.State.Status);
        Assert.Empty(loaded.Attachments);
        Assert.Empty(loaded.Spec.Labels);
        Assert.Empty(loaded.Spec.PortBindings);
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Duplicate_name_is_dockers_conflict_and_writes_nothing(string mode)
    {
        using var sut = StoresUnderTest.Open(mode);
        var first = SampleContainers.Plain("shared-name");
        await sut.Containers.AddAsync(first);
        var second = SampleContainers.EveryField() with { Name = "shared-name" };

        var e = await Assert.ThrowsAsync<NetPortalException>(() => sut.Containers.AddAsync(second));

        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal(
            $"Conflict. The container name \"/shared-name\" is already in use by container \"{first.Id}\". " +
            "You have to remove (or rename) that container to be able to reuse that name.",
            e.Message);
        ContainerAssert.Same(first, Assert.Single(await sut.Containers.LoadAllAsync()));
        // The rejected container's id is still free: adding it under another name succeeds.
        await sut.Containers.AddAsync(second with { Name = "other-name" });
        Assert.Equal(2, (await sut.Containers.LoadAllAsync()).Count);
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Duplicate_id_is_a_conflict_and_writes_nothing(string mode)
    {
        using var sut = StoresUnderTest.Open(mode);
        var first = SampleContainers.EveryField();
        await sut.Containers.AddAsync(first);

        var e = await Assert.ThrowsAsync<NetPortalException>(
            () => sut.Containers.AddAsync(SampleContainers.Plain("fresh-name") with { Id = first.Id }));

        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Contains(first.Id, e.Message, StringComparison.Ordinal);
        ContainerAssert.Same(first, Assert.Single(await sut.Containers.LoadAllAsync()));
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Update_replaces_the_container_with_that_id_only(string mode)
    {
        using var sut = StoresUnderTest.Open(mode);
        var running = SampleContainers.EveryField();
        var other = SampleContainers.Plain();
        await sut.Containers.AddAsync(running);
        await sut.Containers.AddAsync(other);
        // What a stop leaves: exited state, endpoints and sandbox gone, attachments kept.
        var stopped = running with
        {
            Attachments = running.Attachments.Select(a => a with { Endpoint = null }).ToList(),
            Sandbox = null,
            RestartCount = running.RestartCount + 1,
            State = running.State with
            {
                Status = "exited",
                Pid = 0,
                PidStartTime = 0,
                ExitCode = 143,
                FinishedAt = new DateTimeOffset(2025, 12, 2, 8, 9, 10, TimeSpan.FromHours(1)).AddTicks(42),
            },
        };

        await sut.Containers.UpdateAsync(stopped);

        var loaded = (await sut.Containers.LoadAllAsync()).ToDictionary(c => c.Id);
        Assert.Equal(2, loaded.Count);
        ContainerAssert.Same(stopped, loaded[running.Id]);
        ContainerAssert.Same(other, loaded[other.Id]);
        Assert.All(loaded[running.Id].Attachments, a => Assert.Null(a.Endpoint));
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Update_of_unknown_id_is_not_found_and_writes_nothing(string mode)
    {
        using var sut = StoresUnderTest.Open(mode);
        var existing = SampleContainers.Plain();
        await sut.Containers.AddAsync(existing);
        var ghost = SampleContainers.EveryField();

        var e = await Assert.ThrowsAsync<NetPortalException>(() => sut.Containers.UpdateAsync(ghost));

        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal($"No such container: {ghost.Id}", e.Message);
        ContainerAssert.Same(existing, Assert.Single(await sut.Containers.LoadAllAsync()));
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Update_can_rename_but_not_onto_another_containers_name(string mode)
    {
        using var sut = StoresUnderTest.Open(mode);
        var a = SampleContainers.Plain("alpha");
        var b = SampleContainers.Plain("beta");
        await sut.Containers.AddAsync(a);
        await sut.Containers.AddAsync(b);

        var e = await Assert.ThrowsAsync<NetPortalException>(() => sut.Containers.UpdateAsync(b with { Name = "alpha" }));

        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal(
            $"Conflict. The container name \"/alpha\" is already in use by container \"{a.Id}\". " +
            "You have to remove (or rename) that container to be able to reuse that name.",
            e.Message);
        Assert.Equal(["alpha", "beta"], (await sut.Containers.LoadAllAsync()).Select(c => c.Name));

        // A free name works, and the old one is free afterwards.
        await sut.Containers.UpdateAsync(b with { Name = "gamma" });
        await sut.Containers.AddAsync(SampleContainers.Plain("beta"));
        Assert.Equal(["alpha", "gamma", "beta"], (await sut.Containers.LoadAllAsync()).Select(c => c.Name));
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Remove_deletes_only_that_container_and_frees_its_id_and_name(string mode)
    {
        using var sut = StoresUnderTest.Open(mode);
        var keep = SampleContainers.Plain();
        var drop = SampleContainers.EveryField();
        await sut.Containers.AddAsync(keep);
        await sut.Containers.AddAsync(drop);

        await sut.Containers.RemoveAsync(drop.Id);

        ContainerAssert.Same(keep, Assert.Single(await sut.Containers.LoadAllAsync()));
        await sut.Containers.AddAsync(drop);
        Assert.Equal(2, (await sut.Containers.LoadAllAsync()).Count);
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Remove_of_unknown_id_is_not_an_error(string mode)
    {
        using var sut = StoresUnderTest.Open(mode);
        var keep = SampleContainers.Plain();
        await sut.Containers.AddAsync(keep);

        await sut.Containers.RemoveAsync("no-such-id");
        ContainerAssert.Same(keep, Assert.Single(await sut.Containers.LoadAllAsync()));
        await sut.Containers.RemoveAsync(keep.Id);
        await sut.Containers.RemoveAsync(keep.Id);

        Assert.Empty(await sut.Containers.LoadAllAsync());
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Containers_load_in_created_order(string mode)
    {
        using var sut = StoresUnderTest.Open(mode);
        var t0 = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        // Later in UTC but earlier on the wall clock: ordering must be by instant, not by text.
        var late = SampleContainers.Plain() with { Created = t0.ToOffset(TimeSpan.FromHours(-8)).AddMinutes(1) };
        var early = SampleContainers.Plain() with { Created = t0.ToOffset(TimeSpan.FromHours(9)) };
        await sut.Containers.AddAsync(late);
        await sut.Containers.AddAsync(early);

        Assert.Equal([early.Id, late.Id], (await sut.Containers.LoadAllAsync()).Select(c => c.Id));
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Concurrent_adds_of_one_name_let_exactly_one_win(string mode)
    {
        using var sut = StoresUnderTest.Open(mode);
        var candidates = Enumerable.Range(0, 8).Select(_ => SampleContainers.Plain("contested")).ToList();

        var results = await Task.WhenAll(candidates.Select(async c =>
        {
            try
            {
                await sut.Containers.AddAsync(c);
                return (ErrorKind?)null;
            }
            catch (NetPortalException e)
            {
                return e.Kind;
            }
        }));

        Assert.Single(results, r => r is null);
        Assert.Equal(7, results.Count(r => r == ErrorKind.Conflict));
        Assert.Single(await sut.Containers.LoadAllAsync());
    }

    [Theory]
    [InlineData(StoreUnderTest.Memory)]
    [InlineData(StoreUnderTest.File)]
    public async Task Both_stores_work_together_concurrently(string mode)
    {
        using var sut = StoresUnderTest.Open(mode);
        var networks = Enumerable.Range(0, 10).Select(_ => SampleNetworks.Bridge()).ToList();
        var containers = Enumerable.Range(0, 10).Select(_ => SampleContainers.Plain()).ToList();

        // Interleaved calls of both stores; in memory they all take turns on the one shared connection.
        await Task.WhenAll(
            networks.Take(5).Select(n => sut.Networks.AddAsync(n))
                .Concat(containers.Select(c => sut.Containers.AddAsync(c))));
        await Task.WhenAll(
            networks.Skip(5).Select(n => sut.Networks.AddAsync(n))
                .Concat(containers.Select(c => sut.Containers.UpdateAsync(c with { RestartCount = 1 })))
                .Append(sut.Networks.LoadAllAsync())
                .Append(sut.Containers.LoadAllAsync()));

        Assert.Equal(networks.Select(n => n.Id).Order(), (await sut.Networks.LoadAllAsync()).Select(n => n.Id).Order());
        var loaded = await sut.Containers.LoadAllAsync();
        Assert.Equal(containers.Select(c => c.Id).Order(), loaded.Select(c => c.Id).Order());
        Assert.All(loaded, c => Assert.Equal(1, c.RestartCount));

        // Removing a network does not touch containers, and the other way round.
        await sut.Networks.RemoveAsync(networks[0].Id);
        await sut.Containers.RemoveAsync(containers[0].Id);
        Assert.Equal(9, (await sut.Networks.LoadAllAsync()).Count);
        Assert.Equal(9, (await sut.Containers.LoadAllAsync()).Count);
    }
}
