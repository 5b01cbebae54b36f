using System.Net;
using NetPortal.Api.Tests.Infrastructure;

namespace NetPortal.Api.Tests;

/// <summary>/_ping, /version and /info as clients negotiate with them.</summary>
public sealed class SystemEndpointsTests : IClassFixture<NetPortalApiFactory>
{
    private readonly NetPortalApiFactory _factory;
    private readonly HttpClient _client;

    public SystemEndpointsTests(NetPortalApiFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    private static void AssertPingHeaders(HttpResponseMessage r)
    {
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", r.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-cache, no-store, must-revalidate", r.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal("no-cache", Assert.Single(r.Headers.GetValues("Pragma")));
        Assert.Equal("inactive", Assert.Single(r.Headers.GetValues("Swarm")));
        Assert.Equal("1.50", Assert.Single(r.Headers.GetValues("Api-Version")));
        Assert.Equal("linux", Assert.Single(r.Headers.GetValues("Ostype")));
        Assert.Equal("false", Assert.Single(r.Headers.GetValues("Docker-Experimental")));
    }

    [Theory]
    [InlineData("/_ping")]
    [InlineData("/v1.50/_ping")]
    [InlineData("/v1.41/_ping")]
    public async Task Get_ping_is_OK_in_plain_text(string path)
    {
        var r = await _client.GetAsync(path);
        AssertPingHeaders(r);
        Assert.Equal("OK", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Head_ping_is_empty_with_content_length_zero()
    {
        var r = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/_ping"));
        AssertPingHeaders(r);
        Assert.Equal(0, r.Content.Headers.ContentLength);
        Assert.Empty(await r.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Version_reports_the_negotiation_fields()
    {
        var r = await _client.GetAsync("/version");
        var v = await _client.GetJson("/version");
        Assert.Equal(Assert.Single(r.Headers.GetValues("Api-Version")), (string)v["ApiVersion"]!);
        Assert.Equal("1.50", (string)v["ApiVersion"]!);
        Assert.Equal("1.41", (string)v["MinAPIVersion"]!);
        Assert.Equal("linux", (string)v["Os"]!);
        Assert.False((bool)v["Experimental"]!);
        var engine = v["Components"]![0]!;
        Assert.Equal("Engine", (string)engine["Name"]!);
        Assert.Equal("1.50", (string)engine["Details"]!["ApiVersion"]!);
        Assert.Equal("1.41", (string)engine["Details"]!["MinAPIVersion"]!);
        foreach (var field in new[] { "Platform", "Version", "GitCommit", "GoVersion", "Arch", "KernelVersion", "BuildTime" })
            Assert.NotNull(v[field]);
    }

    [Fact]
    public async Task Info_reports_inactive_swarm_pools_and_linux()
    {
        var info = await _client.GetJson("/v1.50/info");
        Assert.Equal("inactive", (string)info["Swarm"]!["LocalNodeState"]!);
        Assert.Equal("linux", (string)info["OSType"]!);
        var pools = info["DefaultAddressPools"]!.AsArray();
        Assert.Equal("172.17.0.0/16", (string)pools[0]!["Base"]!);
        Assert.Equal(16, (int)pools[0]!["Size"]!);
        Assert.Equal("192.168.0.0/16", (string)pools[^1]!["Base"]!);
        Assert.Equal(20, (int)pools[^1]!["Size"]!);
        Assert.Matches("^[0-9a-f-]{36}$", (string)info["ID"]!);
        var networkPlugins = info["Plugins"]!["Network"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Contains("bridge", networkPlugins);
        Assert.Contains("host", networkPlugins);
        Assert.Contains("null", networkPlugins);
    }

    [Fact]
    public async Task Info_id_is_kept_in_the_data_root()
    {
        var info = await _client.GetJson("/info");
        var again = await _client.GetJson("/info");
        Assert.Equal((string)info["ID"]!, (string)again["ID"]!);
        Assert.Equal((string)info["ID"]!, File.ReadAllText(Path.Combine(_factory.DataRoot, "engine-id")).Trim());
    }
}
