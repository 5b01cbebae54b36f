using System.Net;
using System.Text.Json;
using NetPortal.Api.Tests.Infrastructure;

namespace NetPortal.Api.Tests;

/// <summary>Creates and removes of different networks run concurrently; names and pools stay unique.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly NetPortalApiFactory _factory = new();

    // The first CreateClient starts the in-process server; racing it from several threads would start several.
    public ConcurrencyTests() => _factory.CreateClient().Dispose();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task ParallelClientsCreateAndRemoveWithoutErrorsOrSharedSubnets()
    {
        var subnets = new System.Collections.Concurrent.ConcurrentBag<string>();
        var clients = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            using var c = _factory.CreateClient();
            for (var i = 0; i < 5; i++)
            {
                var name = DockerHttp.UniqueName($"cc{w}-");
                var created = await c.PostJson("/networks/create", $"{{\"Name\":\"{name}\"}}");
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                var inspect = JsonDocument.Parse(await c.GetStringAsync($"/networks/{name}")).RootElement;
                subnets.Add(inspect.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Subnet").GetString()!);
                var removed = await c.DeleteAsync($"/networks/{name}");
                Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
            }
        })).ToArray();
        await Task.WhenAll(clients);

        Assert.Equal(40, subnets.Count);
        using var client = _factory.CreateClient();
        var left = JsonDocument.Parse(await client.GetStringAsync("/networks")).RootElement.EnumerateArray().Select(n => n.GetProperty("Name").GetString()).Order();
        Assert.Equal(["bridge", "host", "none"], left);
        Assert.Equal(40, _factory.Bridge.Teardowns.Count);
    }

    [Fact]
    public async Task SameNameRaceHasExactlyOneWinner()
    {
        var name = DockerHttp.UniqueName("race-");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var c = _factory.CreateClient();
            return (await c.PostJson("/networks/create", $"{{\"Name\":\"{name}\"}}")).StatusCode;
        })));
        Assert.Single(results, s => s == HttpStatusCode.Created);
        Assert.Equal(7, results.Count(s => s == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task ConcurrentRemovesOfOneNetworkSucceedOnce()
    {
        using var c = _factory.CreateClient();
        var name = DockerHttp.UniqueName("rmrace-");
        await c.CreateNamed(name);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = _factory.CreateClient();
            return (await client.DeleteAsync($"/networks/{name}")).StatusCode;
        })));
        Assert.Single(results, s => s == HttpStatusCode.NoContent);
        Assert.Equal(3, results.Count(s => s == HttpStatusCode.NotFound));
    }
}
