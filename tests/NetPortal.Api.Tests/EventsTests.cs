using System.Net;
using System.Text.Json.Nodes;
using NetPortal.Api.Tests.Infrastructure;

namespace NetPortal.Api.Tests;

/// <summary>GET /events: network create/destroy/prune events as a JSON line stream, with since/until and filters.</summary>
public sealed class EventsTests
{
    private static async Task<List<JsonObject>> Events(HttpClient c, string? filters = null, string prefix = "")
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        var until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds();
        var path = $"{prefix}/events?since={since}&until={until}" + (filters is null ? "" : "&filters=" + Uri.EscapeDataString(filters));
        var r = await c.GetAsync(path);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, body);
        DockerHttp.AssertJsonContentType(r);
        Assert.True(body.Length == 0 || body.EndsWith('\n'));
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }

    [Fact]
    public async Task Create_and_destroy_are_streamed_in_dockers_shape()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var name = DockerHttp.UniqueName("ev");
        var id = await c.CreateNamed(name);
        Assert.Equal(HttpStatusCode.NoContent, (await c.DeleteAsync("/networks/" + id)).StatusCode);

        var events = (await Events(c, prefix: "/v1.50")).Where(e => (string)e["Actor"]!["ID"]! == id).ToList();
        Assert.Equal(["create", "destroy"], events.Select(e => (string)e["Action"]!));
        foreach (var e in events)
        {
            Assert.Equal(["Type", "Action", "Actor", "scope", "time", "timeNano"], e.Select(p => p.Key));
            Assert.Equal("network", (string)e["Type"]!);
            Assert.Equal("local", (string)e["scope"]!);
            Assert.Equal($$$"""{"name":"{{{name}}}","type":"bridge"}""", e["Actor"]!["Attributes"]!.ToJsonString());
            var time = (long)e["time"]!;
            var nano = (long)e["timeNano"]!;
            Assert.Equal(time, nano / 1_000_000_000);
            Assert.InRange(time, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }
    }

    [Fact]
    public async Task Filters_select_events()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var a = DockerHttp.UniqueName("eva");
        var b = DockerHttp.UniqueName("evb");
        var aId = await c.CreateNamed(a);
        await c.CreateNamed(b);
        await c.DeleteAsync("/networks/" + b);

        Assert.Equal([a, b], (await Events(c, """{"type":["network"],"event":["create"]}""")).Select(e => (string)e["Actor"]!["Attributes"]!["name"]!));
        Assert.Equal(["create", "destroy"], (await Events(c, $$$"""{"network":{"{{{b}}}":true}}""")).Select(e => (string)e["Action"]!));
        Assert.Equal(["create"], (await Events(c, $$$"""{"network":["{{{aId}}}"]}""")).Select(e => (string)e["Action"]!));
        Assert.Empty(await Events(c, """{"type":["container"]}"""));
    }

    [Fact]
    public async Task Prune_emits_destroy_then_prune_with_empty_actor()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var a = DockerHttp.UniqueName("evp");
        await c.CreateNamed(a);
        Assert.Equal(HttpStatusCode.OK, (await c.PostAsync("/networks/prune", null)).StatusCode);
        var events = await Events(c, """{"type":["network"]}""");
        Assert.Equal(["create", "destroy", "prune"], events.Select(e => (string)e["Action"]!));
        var prune = events[^1];
        Assert.Equal("", (string)prune["Actor"]!["ID"]!);
        Assert.Equal("""{"reclaimed":"0"}""", prune["Actor"]!["Attributes"]!.ToJsonString());
    }

    [Fact]
    public async Task Since_after_until_is_400()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var r = await c.GetAsync("/events?since=2000&until=1000");
        await DockerHttp.AssertError(r, HttpStatusCode.BadRequest, "`since` time (2000) cannot be after `until` time (1000)");
    }

    [Fact]
    public async Task Until_in_the_past_ends_the_stream_at_once()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        await c.CreateNamed(DockerHttp.UniqueName());
        var until = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();
        var r = await c.GetAsync($"/events?since=1&until={until}").WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("", await r.Content.ReadAsStringAsync());
    }
}
