using System.Net;
using NetPortal.Api.Tests.Infrastructure;

namespace NetPortal.Api.Tests;

/// <summary>dockerd's router: version prefixes, 404 for unknown routes and wrong methods, OPTIONS, common headers.</summary>
public sealed class RoutingTests : IClassFixture<NetPortalApiFactory>
{
    private readonly HttpClient _client;

    public RoutingTests(NetPortalApiFactory factory) => _client = factory.CreateClient();

    [Theory]
    [InlineData("/networks")]
    [InlineData("/v1.41/networks")]
    [InlineData("/v1.44/networks")]
    [InlineData("/v1.50/networks")]
    [InlineData("/v1.41/networks/bridge")]
    [InlineData("/v1.50/networks/bridge")]
    [InlineData("/networks/bridge")]
    [InlineData("/v1.50/_ping")]
    [InlineData("/networks/")]
    [InlineData("/v1.50/networks/")]
    public async Task Versioned_and_unversioned_paths_reach_the_same_routes(string path)
    {
        var r = await _client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }

    [Fact]
    public async Task Trailing_slash_lists_networks()
    {
        var list = (await _client.GetJson("/v1.50/networks/")).AsArray();
        Assert.Contains(list, n => (string)n!["Name"]! == "bridge");
    }

    [Fact]
    public async Task Version_above_max_is_400_too_new()
    {
        var r = await _client.GetAsync("/v1.51/networks");
        await DockerHttp.AssertError(r, HttpStatusCode.BadRequest, "client version 1.51 is too new. Maximum supported API version is 1.50");
    }

    [Fact]
    public async Task Version_compare_is_numeric_per_segment()
    {
        // 1.100 > 1.50 numerically although "1.100" < "1.50" as text.
        var r = await _client.GetAsync("/v1.100/networks");
        await DockerHttp.AssertError(r, HttpStatusCode.BadRequest, "client version 1.100 is too new. Maximum supported API version is 1.50");
    }

    [Fact]
    public async Task Version_below_min_is_400_too_old_as_json()
    {
        var r = await _client.GetAsync("/v1.40/networks");
        await DockerHttp.AssertError(r, HttpStatusCode.BadRequest,
            "client version 1.40 is too old. Minimum supported API version is 1.41, please upgrade your client to a newer version");
    }

    [Fact]
    public async Task Version_below_1_24_is_answered_in_plain_text()
    {
        var r = await _client.GetAsync("/v1.12/networks");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", r.Content.Headers.ContentType?.ToString());
        Assert.Equal("client version 1.12 is too old. Minimum supported API version is 1.41, please upgrade your client to a newer version\n",
            await r.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/nope")]
    [InlineData("GET", "/v1.50/nope")]
    [InlineData("GET", "/volumes")]
    [InlineData("PUT", "/containers/json")]
    [InlineData("PUT", "/networks")]
    [InlineData("PATCH", "/networks/bridge")]
    [InlineData("GET", "/networks/create")]
    [InlineData("DELETE", "/networks")]
    [InlineData("POST", "/_ping")]
    public async Task Unknown_route_or_wrong_method_is_404_page_not_found(string method, string path)
    {
        var r = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        if (method == "GET" && path == "/networks/create")
        {
            // GET /networks/create is an inspect of a network called "create", which does not exist.
            await DockerHttp.AssertError(r, HttpStatusCode.NotFound, "network create not found");
            return;
        }
        await DockerHttp.AssertError(r, HttpStatusCode.NotFound, "page not found");
    }

    [Theory]
    [InlineData("/networks")]
    [InlineData("/v1.50/networks/create")]
    [InlineData("/anything/at/all")]
    public async Task Options_is_200_empty(string path)
    {
        var r = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Options, path));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("", await r.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/networks")]
    [InlineData("/v1.44/networks")]
    [InlineData("/networks/does-not-exist")]
    [InlineData("/version")]
    [InlineData("/v1.51/networks")]
    public async Task Routed_responses_carry_docker_headers(string path)
    {
        var r = await _client.GetAsync(path);
        Assert.Equal("1.50", Assert.Single(r.Headers.GetValues("Api-Version")));
        Assert.Equal("linux", Assert.Single(r.Headers.GetValues("Ostype")));
        Assert.Equal("false", Assert.Single(r.Headers.GetValues("Docker-Experimental")));
    }
}
