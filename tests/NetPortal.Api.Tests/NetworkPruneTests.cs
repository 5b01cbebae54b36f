using System.Net;
using NetPortal.Api.Tests.Infrastructure;

namespace NetPortal.Api.Tests;

/// <summary>POST /networks/prune: names of removed networks, until/label/label! filters, predefined never pruned.</summary>
public sealed class NetworkPruneTests
{
    private static async Task<string> Prune(HttpClient c, string? filters = null)
    {
        var path = "/v1.50/networks/prune" + (filters is null ? "" : "?filters=" + Uri.EscapeDataString(filters));
        var r = await c.PostAsync(path, null);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, body);
        DockerHttp.AssertJsonContentType(r);
        return body.TrimEnd('\n');
    }

    [Fact]
    public async Task Nothing_to_prune_is_null()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        Assert.Equal("""{"NetworksDeleted":null}""", await Prune(c));
        Assert.Equal(["bridge", "host", "none"], await c.ListNames());
    }

    [Fact]
    public async Task Prune_returns_names_and_keeps_predefined()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var a = DockerHttp.UniqueName("pa");
        await c.CreateNamed(a);
        Assert.Equal($$$"""{"NetworksDeleted":["{{{a}}}"]}""", await Prune(c));
        Assert.Equal(["bridge", "host", "none"], await c.ListNames());
        Assert.Equal([a], api.Bridge.Teardowns);
        Assert.Equal("""{"NetworksDeleted":null}""", await Prune(c));
    }

    [Fact]
    public async Task Until_duration_keeps_new_networks()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var a = DockerHttp.UniqueName();
        await c.CreateNamed(a);
        Assert.Equal("""{"NetworksDeleted":null}""", await Prune(c, """{"until":["1h"]}"""));
        Assert.Contains(a, await c.ListNames());
    }

    [Fact]
    public async Task Until_future_timestamp_removes()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var a = DockerHttp.UniqueName();
        await c.CreateNamed(a);
        var future = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        Assert.Equal($$$"""{"NetworksDeleted":["{{{a}}}"]}""", await Prune(c, $$$"""{"until":{"{{{future}}}":true}}"""));
    }

    [Fact]
    public async Task Label_and_not_label_select()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var keep = DockerHttp.UniqueName("keep");
        var drop = DockerHttp.UniqueName("drop");
        var plain = DockerHttp.UniqueName("plain");
        await c.CreateNetwork($$$"""{"Name":"{{{keep}}}","Labels":{"env":"prod"}}""");
        await c.CreateNetwork($$$"""{"Name":"{{{drop}}}","Labels":{"env":"dev"}}""");
        await c.CreateNamed(plain);
        Assert.Equal($$$"""{"NetworksDeleted":["{{{drop}}}"]}""", await Prune(c, """{"label":["env=dev"]}"""));
        Assert.Equal($$$"""{"NetworksDeleted":["{{{plain}}}"]}""", await Prune(c, """{"label!":["env"]}"""));
        Assert.Contains(keep, await c.ListNames());
    }

    [Theory]
    [InlineData("""{"foo":["bar"]}""", "invalid filter 'foo'")]
    [InlineData("""{"name":["bar"]}""", "invalid filter 'name'")]
    [InlineData("""{"until":["1h","2h"]}""", "more than one until filter specified")]
    [InlineData("not json", "invalid filter")]
    public async Task Bad_filters_are_400_and_remove_nothing(string filters, string message)
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var a = DockerHttp.UniqueName();
        await c.CreateNamed(a);
        var r = await c.PostAsync("/networks/prune?filters=" + Uri.EscapeDataString(filters), null);
        await DockerHttp.AssertError(r, HttpStatusCode.BadRequest, message);
        Assert.Contains(a, await c.ListNames());
    }

    [Fact]
    public async Task Unparsable_until_is_400()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var r = await c.PostAsync("/networks/prune?filters=" + Uri.EscapeDataString("""{"until":["yesterday"]}"""), null);
        await DockerHttp.AssertErrorStartsWith(r, HttpStatusCode.BadRequest, "failed to parse value");
    }
}
