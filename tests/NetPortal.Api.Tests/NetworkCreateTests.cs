using System.Text.Json.Nodes;
using NetPortal.Api.Tests.Infrastructure;

namespace NetPortal.Api.Tests;

/// <summary>POST /networks/create that succeeds, and the exact inspect JSON it leads to.</summary>
public sealed class NetworkCreateTests
{
    private static string Canonical(string json) => JsonNode.Parse(json)!.ToJsonString();

    /// <summary>The raw inspect body with Id and Created replaced by placeholders.</summary>
    private static async Task<string> RawInspect(HttpClient c, string id, string prefix = "")
    {
        var r = await c.GetAsync($"{prefix}/networks/{id}");
        var body = (await r.Content.ReadAsStringAsync()).TrimEnd('\n');
        Assert.True(r.IsSuccessStatusCode, body);
        DockerHttp.AssertJsonContentType(r);
        var created = (string)JsonNode.Parse(body)!["Created"]!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$", created);
        return body.Replace(id, "<ID>").Replace(created, "<CREATED>");
    }

    [Fact]
    public async Task Inspect_json_has_dockers_fields_in_dockers_order()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var name = DockerHttp.UniqueName("exact");
        var id = await c.CreateNetwork($$$"""{"Name":"{{{name}}}","IPAM":{"Driver":"default","Options":{},"Config":[{"Subnet":"10.9.0.0/24","Gateway":"10.9.0.1"}]},"Options":{"com.docker.network.bridge.name":"br0"},"Labels":{"a":"b"}}""");
        Assert.Equal(
            $$$"""{"Name":"{{{name}}}","Id":"<ID>","Created":"<CREATED>","Scope":"local","Driver":"bridge","EnableIPv4":true,"EnableIPv6":false,"IPAM":{"Driver":"default","Options":{},"Config":[{"Subnet":"10.9.0.0/24","Gateway":"10.9.0.1"}]},"Internal":false,"Attachable":false,"Ingress":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,"Containers":{},"Options":{"com.docker.network.bridge.name":"br0"},"Labels":{"a":"b"}}""",
            await RawInspect(c, id));
        Assert.Equal([name], api.Bridge.Setups);
    }

    [Fact]
    public async Task Plain_create_gets_default_pools_in_order_and_shows_the_gateway()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var first = await c.CreateNamed(DockerHttp.UniqueName());
        var second = await c.CreateNamed(DockerHttp.UniqueName());
        Assert.Equal("""[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]""", (await c.GetJson("/networks/" + first))["IPAM"]!["Config"]!.ToJsonString());
        Assert.Equal("""[{"Subnet":"172.19.0.0/16","Gateway":"172.19.0.1"}]""", (await c.GetJson("/networks/" + second))["IPAM"]!["Config"]!.ToJsonString());

        // Freed pools are reused first.
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await c.DeleteAsync("/networks/" + first)).StatusCode);
        var third = await c.CreateNamed(DockerHttp.UniqueName());
        Assert.Equal("""[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]""", (await c.GetJson("/networks/" + third))["IPAM"]!["Config"]!.ToJsonString());
    }

    [Fact]
    public async Task Plain_create_with_the_clis_body_is_fully_defaulted()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var name = DockerHttp.UniqueName("cli");
        // Captured docker CLI 28.2.2 body for `docker network create foo`.
        var id = await c.CreateNetwork($$$"""{"Driver":"bridge","Scope":"","IPAM":{"Driver":"default","Options":{},"Config":[]},"Internal":false,"Attachable":false,"Ingress":false,"ConfigOnly":false,"ConfigFrom":null,"Options":{},"Labels":{},"Name":"{{{name}}}"}""", "/v1.50");
        Assert.Equal(
            $$$"""{"Name":"{{{name}}}","Id":"<ID>","Created":"<CREATED>","Scope":"local","Driver":"bridge","EnableIPv4":true,"EnableIPv6":false,"IPAM":{"Driver":"default","Options":{},"Config":[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]},"Internal":false,"Attachable":false,"Ingress":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,"Containers":{},"Options":{},"Labels":{}}""",
            await RawInspect(c, id, "/v1.50"));
    }

    [Fact]
    public async Task Explicit_subnet_without_gateway_hides_the_gateway_like_v28()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var id = await c.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","IPAM":{"Config":[{"Subnet":"10.30.0.0/24"}]}}""");
        Assert.Equal("""[{"Subnet":"10.30.0.0/24"}]""", (await c.GetJson("/networks/" + id))["IPAM"]!["Config"]!.ToJsonString());
    }

    [Fact]
    public async Task Explicit_subnet_range_gateway_and_aux_are_shown()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var id = await c.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","IPAM":{"Config":[{"Subnet":"10.31.0.0/16","IPRange":"10.31.5.0/24","Gateway":"10.31.0.254","AuxiliaryAddresses":{"router":"10.31.0.2","nas":"10.31.0.3"}}]}}""");
        Assert.Equal(
            Canonical("""[{"Subnet":"10.31.0.0/16","IPRange":"10.31.5.0/24","Gateway":"10.31.0.254","AuxiliaryAddresses":{"nas":"10.31.0.3","router":"10.31.0.2"}}]"""),
            (await c.GetJson("/networks/" + id))["IPAM"]!["Config"]!.ToJsonString());
    }

    [Fact]
    public async Task IPv6_subnet_is_added_after_the_ipv4_pool()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var id = await c.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","EnableIPv6":true,"IPAM":{"Config":[{"Subnet":"fd00:1::/64","Gateway":"fd00:1::1"}]}}""");
        var n = await c.GetJson("/networks/" + id);
        Assert.True((bool)n["EnableIPv6"]!);
        Assert.True((bool)n["EnableIPv4"]!);
        Assert.Equal("""[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"},{"Subnet":"fd00:1::/64","Gateway":"fd00:1::1"}]""", n["IPAM"]!["Config"]!.ToJsonString());
    }

    [Fact]
    public async Task IPv6_config_is_ignored_when_ipv6_is_off()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var id = await c.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","IPAM":{"Config":[{"Subnet":"fd00:2::/64"}]}}""");
        var n = await c.GetJson("/networks/" + id);
        Assert.False((bool)n["EnableIPv6"]!);
        Assert.Equal("""[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]""", n["IPAM"]!["Config"]!.ToJsonString());
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    public async Task Option_form_of_enable_ipv6_is_honoured_and_kept(string value, bool expected)
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var id = await c.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","Options":{"com.docker.network.enable_ipv6":"{{{value}}}"}}""");
        var n = await c.GetJson("/networks/" + id);
        Assert.Equal(expected, (bool)n["EnableIPv6"]!);
        Assert.Equal($$$"""{"com.docker.network.enable_ipv6":"{{{value}}}"}""", n["Options"]!.ToJsonString());
    }

    [Fact]
    public async Task Top_level_enable_ipv6_wins_and_drops_the_option()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var id = await c.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","EnableIPv6":false,"Options":{"com.docker.network.enable_ipv6":"true","x":"y"}}""");
        var n = await c.GetJson("/networks/" + id);
        Assert.False((bool)n["EnableIPv6"]!);
        Assert.Equal("""{"x":"y"}""", n["Options"]!.ToJsonString());
    }

    [Fact]
    public async Task EnableIPv4_is_present_from_1_48_and_absent_before()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var id = await c.CreateNamed(DockerHttp.UniqueName());
        foreach (var v in new[] { "", "/v1.50", "/v1.48" })
            Assert.True((bool)(await c.GetJson($"{v}/networks/{id}"))["EnableIPv4"]!);
        foreach (var v in new[] { "/v1.47", "/v1.41" })
        {
            var n = (await c.GetJson($"{v}/networks/{id}")).AsObject();
            Assert.False(n.ContainsKey("EnableIPv4"));
            Assert.True(n.ContainsKey("EnableIPv6"));
        }
        var listed = (await c.GetJson("/v1.47/networks")).AsArray();
        Assert.All(listed, n => Assert.False(n!.AsObject().ContainsKey("EnableIPv4")));
    }

    [Fact]
    public async Task EnableIPv4_false_is_ignored_below_1_48()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var id = await c.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","EnableIPv4":false}""", "/v1.47");
        Assert.True((bool)(await c.GetJson("/networks/" + id))["EnableIPv4"]!);
    }

    [Fact]
    public async Task Labels_options_and_flags_are_echoed()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var id = await c.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","Internal":true,"Attachable":true,"Labels":{"com.example.team":"blue","empty":""},"Options":{"com.docker.network.driver.mtu":"1400"}}""");
        var n = await c.GetJson("/networks/" + id);
        Assert.True((bool)n["Internal"]!);
        Assert.True((bool)n["Attachable"]!);
        Assert.False((bool)n["Ingress"]!);
        Assert.Equal("""{"com.example.team":"blue","empty":""}""", n["Labels"]!.ToJsonString());
        Assert.Equal("""{"com.docker.network.driver.mtu":"1400"}""", n["Options"]!.ToJsonString());
    }

    [Fact]
    public async Task Property_names_are_matched_case_insensitively_and_unknown_fields_ignored()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var name = DockerHttp.UniqueName();
        var id = await c.CreateNetwork($$$"""{"name":"{{{name}}}","ipam":{"config":[{"subnet":"10.32.0.0/24"}]},"CheckDuplicate":true,"Whatever":[1,2]}""");
        var n = await c.GetJson("/networks/" + id);
        Assert.Equal(name, (string)n["Name"]!);
        Assert.Equal("""[{"Subnet":"10.32.0.0/24"}]""", n["IPAM"]!["Config"]!.ToJsonString());
    }

    [Fact]
    public async Task Create_is_visible_in_list_with_empty_containers()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var name = DockerHttp.UniqueName();
        var id = await c.CreateNamed(name);
        var item = (await c.GetJson("/networks")).AsArray().Single(n => (string)n!["Id"]! == id)!;
        Assert.Equal(name, (string)item["Name"]!);
        Assert.Equal("{}", item["Containers"]!.ToJsonString());
    }
}
