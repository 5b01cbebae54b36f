using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NetPortal.Api.Networks;
using NetPortal.Api.Tests.Infrastructure;
using NetPortal.Core.Filters;
using NetPortal.Core.Networks;

namespace NetPortal.Api.Tests;

/// <summary>
/// GET /networks serves list items serialized once per network record: the bytes must be exactly what mapping and
/// serializing every network on each request gives, for every API version, and must follow every change.
/// </summary>
public sealed class NetworkListJsonTests : IDisposable
{
    private readonly NetPortalApiFactory _api = new();
    private readonly HttpClient _client;

    public NetworkListJsonTests() => _client = _api.CreateClient();

    public void Dispose() => _api.Dispose();

    /// <summary>The list as the handler built it before the cache: map each network, serialize the list.</summary>
    private string Uncached(Version v)
    {
        var networks = _api.Services.GetRequiredService<NetworkService>();
        var options = _api.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        return JsonSerializer.Serialize(networks.List(FilterArgs.Empty).Select(n => n.ToResource(v, endpoints: null)).ToList(), options);
    }

    private async Task<string> Get(string path)
    {
        var r = await _client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        DockerHttp.AssertJsonContentType(r);
        return await r.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task EveryApiVersion_GetsTheBytesOfAFreshSerialization()
    {
        await _client.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName("a")}}}","Labels":{"x":"1","é":"<&>"},"Options":{"com.docker.network.bridge.enable_icc":"false"}}""");
        await _client.CreateNetwork($$$$"""{"Name":"{{{{DockerHttp.UniqueName("b")}}}}","EnableIPv6":true,"Internal":true,"IPAM":{"Config":[{"Subnet":"10.55.0.0/24","IPRange":"10.55.0.128/25","Gateway":"10.55.0.1","AuxiliaryAddresses":{"h":"10.55.0.5"}},{"Subnet":"fd55::/64"}],"Options":{"o":"v"}}}""");
        await _client.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName("c")}}}","Attachable":true,"EnableIPv4":false,"EnableIPv6":true}""");

        for (var minor = 41; minor <= 50; minor++)
        {
            var v = new Version(1, minor);
            // Twice: the second answer comes from the cache.
            Assert.Equal(Uncached(v), await Get($"/v1.{minor}/networks"));
            Assert.Equal(Uncached(v), await Get($"/v1.{minor}/networks"));
        }
        Assert.Equal(Uncached(new Version(1, 50)), await Get("/networks"));
    }

    [Fact]
    public async Task Changes_AreSeenAtOnce_NoStaleItems()
    {
        var name = DockerHttp.UniqueName("d");
        var first = await _client.CreateNetwork($$$"""{"Name":"{{{name}}}","Labels":{"gen":"1"}}""");
        Assert.Contains(first, await Get("/networks"));

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/networks/{first}")).StatusCode);
        var second = await _client.CreateNetwork($$$"""{"Name":"{{{name}}}","Labels":{"gen":"2"}}""");
        var body = await Get("/networks");
        Assert.DoesNotContain(first, body);
        Assert.Contains(second, body);
        Assert.Contains("\"gen\":\"2\"", body);
        Assert.DoesNotContain("\"gen\":\"1\"", body);
        Assert.Equal(Uncached(new Version(1, 50)), body);

        Assert.Equal("[]", await Get("/networks?filters=" + Uri.EscapeDataString("""{"name":["no-such-network"]}""")));
    }

    [Fact]
    public void Item_IsMadeOncePerRecord()
    {
        var json = _api.Services.GetRequiredService<NetworkListJson>();
        var n = _api.Services.GetRequiredService<NetworkService>().All[0];
        Assert.Same(json.Item(n, new Version(1, 50)), json.Item(n, new Version(1, 49)));
        Assert.NotSame(json.Item(n, new Version(1, 50)), json.Item(n, new Version(1, 47)));
        Assert.Same(json.Item(n, new Version(1, 41)), json.Item(n, new Version(1, 47)));
    }
}
