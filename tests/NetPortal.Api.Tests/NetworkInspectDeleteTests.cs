using System.Net;
using NetPortal.Api.Tests.Infrastructure;

namespace NetPortal.Api.Tests;

/// <summary>GET and DELETE /networks/{id}: Docker's resolution order (id, name, unique id prefix) and errors.</summary>
public sealed class NetworkInspectDeleteTests
{
    [Fact]
    public async Task Inspect_by_full_id_name_and_unique_prefix()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var name = DockerHttp.UniqueName();
        var id = await c.CreateNamed(name);
        var others = (await c.GetJson("/networks")).AsArray().Select(n => (string)n!["Id"]!).Where(i => i != id).ToList();
        var unique = Enumerable.Range(1, 64).Select(l => id[..l]).First(p => !others.Any(o => o.StartsWith(p, StringComparison.Ordinal)));
        foreach (var term in new[] { id, name, unique })
            Assert.Equal(id, (string)(await c.GetJson("/v1.50/networks/" + term))["Id"]!);
    }

    [Fact]
    public async Task Ambiguous_prefix_is_400_on_inspect_and_delete()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        string? prefix = null;
        for (var i = 0; i < 20 && prefix is null; i++)
        {
            await c.CreateNamed(DockerHttp.UniqueName("amb"));
            prefix = (await c.GetJson("/networks")).AsArray().Select(n => ((string)n!["Id"]!)[..1])
                .GroupBy(p => p).FirstOrDefault(g => g.Count() == 2)?.Key;
        }
        Assert.NotNull(prefix);
        await DockerHttp.AssertError(await c.GetAsync("/networks/" + prefix), HttpStatusCode.BadRequest,
            $"2 matches found based on ID prefix: network {prefix} is ambiguous");
        var before = await c.ListNames();
        await DockerHttp.AssertError(await c.DeleteAsync("/networks/" + prefix), HttpStatusCode.BadRequest,
            $"network {prefix} is ambiguous (2 matches found based on ID prefix)");
        Assert.Equal(before, await c.ListNames());
    }

    [Fact]
    public async Task Name_wins_over_id_prefix()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var target = await c.CreateNamed(DockerHttp.UniqueName());
        var prefix = target[..12];
        var named = await c.CreateNamed(prefix);
        Assert.Equal(named, (string)(await c.GetJson("/networks/" + prefix))["Id"]!);
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("v1.50")]
    public async Task Unknown_is_404(string term)
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        await DockerHttp.AssertError(await c.GetAsync("/networks/" + term), HttpStatusCode.NotFound, $"network {term} not found");
        await DockerHttp.AssertError(await c.DeleteAsync("/networks/" + term), HttpStatusCode.NotFound, $"network {term} not found");
    }

    [Fact]
    public async Task Scope_parameter_must_match()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var name = DockerHttp.UniqueName();
        await c.CreateNamed(name);
        Assert.Equal(name, (string)(await c.GetJson($"/networks/{name}?scope=local"))["Name"]!);
        await DockerHttp.AssertError(await c.GetAsync($"/networks/{name}?scope=swarm"), HttpStatusCode.NotFound, $"network {name} not found");
    }

    [Theory]
    [InlineData("true")]
    [InlineData("1")]
    [InlineData("False")]
    public async Task Verbose_accepts_go_booleans(string value)
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        Assert.Equal("bridge", (string)(await c.GetJson("/networks/bridge?verbose=" + value))["Name"]!);
    }

    [Fact]
    public async Task Bad_verbose_is_400()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        await DockerHttp.AssertError(await c.GetAsync("/networks/bridge?verbose=yes"), HttpStatusCode.BadRequest,
            "invalid value for verbose: yes: strconv.ParseBool: parsing \"yes\": invalid syntax");
    }

    [Theory]
    [InlineData("name")]
    [InlineData("id")]
    [InlineData("prefix")]
    public async Task Delete_is_204_empty_tears_down_and_frees_the_pool(string by)
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var name = DockerHttp.UniqueName("rm");
        var id = await c.CreateNetwork($$$"""{"Name":"{{{name}}}","IPAM":{"Config":[{"Subnet":"10.88.0.0/24"}]}}""");
        var term = by switch { "name" => name, "id" => id, _ => id[..20] };
        var r = await c.DeleteAsync("/v1.50/networks/" + term);
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        Assert.Empty(await r.Content.ReadAsByteArrayAsync());
        Assert.Equal([name], api.Bridge.Teardowns);
        Assert.DoesNotContain(name, await c.ListNames());
        await DockerHttp.AssertError(await c.GetAsync("/networks/" + id), HttpStatusCode.NotFound, $"network {id} not found");
        await c.CreateNetwork($$$"""{"Name":"{{{name}}}","IPAM":{"Config":[{"Subnet":"10.88.0.0/24"}]}}""");
    }

    [Fact]
    public async Task Delete_with_a_failing_store_keeps_the_network_listed()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var name = DockerHttp.UniqueName();
        await c.CreateNamed(name);
        api.Store.FailRemoves = true;
        await DockerHttp.AssertError(await c.DeleteAsync("/networks/" + name), HttpStatusCode.InternalServerError, FailingNetworkStore.FailureMessage);
        api.Store.FailRemoves = false;
        Assert.Contains(name, await c.ListNames());
        Assert.Equal(HttpStatusCode.NoContent, (await c.DeleteAsync("/networks/" + name)).StatusCode);
    }
}
