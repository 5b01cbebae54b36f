using System.Net;
using System.Text.Json.Nodes;
using NetPortal.Api.Tests.Infrastructure;

namespace NetPortal.Api.Tests;

/// <summary>bridge, host and none exist from the first start, look like Docker's, and are protected.</summary>
public sealed class PredefinedNetworksTests : IClassFixture<NetPortalApiFactory>
{
    private readonly NetPortalApiFactory _factory;
    private readonly HttpClient _client;

    public PredefinedNetworksTests(NetPortalApiFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task All_three_exist_on_first_start()
    {
        var list = await _client.ListNames("""{"type":{"builtin":true}}""");
        Assert.Equal(["bridge", "host", "none"], list);
    }

    [Fact]
    public async Task Bridge_looks_like_dockers_default_bridge()
    {
        var n = await _client.GetJson("/networks/bridge");
        Assert.Equal("bridge", (string)n["Name"]!);
        Assert.Equal("bridge", (string)n["Driver"]!);
        Assert.Equal("local", (string)n["Scope"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {
              "com.docker.network.bridge.default_bridge": "true",
              "com.docker.network.bridge.enable_icc": "true",
              "com.docker.network.bridge.enable_ip_masquerade": "true",
              "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
              "com.docker.network.bridge.name": "docker0",
              "com.docker.network.driver.mtu": "1500"
            }
            """), n["Options"]), n["Options"]!.ToJsonString());
        Assert.Equal("""{"Driver":"default","Options":null,"Config":[{"Subnet":"172.17.0.0/16","Gateway":"172.17.0.1"}]}""", n["IPAM"]!.ToJsonString());
        Assert.Equal("{}", n["Labels"]!.ToJsonString());
        // The fake driver was asked to restore it, never to set it up as a user network.
        Assert.DoesNotContain("bridge", _factory.Bridge.Setups);
    }

    [Fact]
    public async Task Host_has_no_ipam_config()
    {
        var n = await _client.GetJson("/networks/host");
        Assert.Equal("host", (string)n["Driver"]!);
        Assert.Equal("""{"Driver":"default","Options":null,"Config":null}""", n["IPAM"]!.ToJsonString());
        Assert.Equal("{}", n["Options"]!.ToJsonString());
    }

    [Fact]
    public async Task None_uses_the_null_driver()
    {
        var n = await _client.GetJson("/networks/none");
        Assert.Equal("null", (string)n["Driver"]!);
        Assert.Equal("""{"Driver":"default","Options":null,"Config":null}""", n["IPAM"]!.ToJsonString());
    }

    [Theory]
    [InlineData("bridge")]
    [InlineData("host")]
    [InlineData("none")]
    public async Task Predefined_cannot_be_removed_by_name_or_id(string name)
    {
        var r = await _client.DeleteAsync("/networks/" + name);
        await DockerHttp.AssertError(r, HttpStatusCode.Forbidden, $"{name} is a pre-defined network and cannot be removed");
        var id = (string)(await _client.GetJson("/networks/" + name))["Id"]!;
        r = await _client.DeleteAsync("/v1.50/networks/" + id);
        await DockerHttp.AssertError(r, HttpStatusCode.Forbidden, $"{name} is a pre-defined network and cannot be removed");
        Assert.Equal(name, (string)(await _client.GetJson("/networks/" + id))["Name"]!);
    }

    [Theory]
    [InlineData("bridge")]
    [InlineData("host")]
    [InlineData("none")]
    [InlineData("default")]
    public async Task Predefined_names_cannot_be_created(string name)
    {
        var r = await _client.CreateRaw($$"""{"Name":"{{name}}"}""");
        await DockerHttp.AssertError(r, HttpStatusCode.Forbidden, $"operation is not permitted on predefined {name} network ");
    }

    [Theory]
    [InlineData("host")]
    [InlineData("null")]
    public async Task A_second_host_or_null_network_is_refused(string driver)
    {
        var before = await _client.ListNames();
        var r = await _client.CreateRaw($$"""{"Name":"{{DockerHttp.UniqueName()}}","Driver":"{{driver}}"}""");
        await DockerHttp.AssertError(r, HttpStatusCode.Forbidden, $"only one instance of \"{driver}\" network is allowed");
        Assert.Equal(before, await _client.ListNames());
    }
}
