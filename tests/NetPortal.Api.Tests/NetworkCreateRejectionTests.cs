using System.Net;
using System.Text;
using NetPortal.Api.Tests.Infrastructure;

namespace NetPortal.Api.Tests;

/// <summary>
/// Refused creates: Docker's status and message, and nothing left behind — the list is unchanged, the driver
/// saw no setup, and the subnet is free again (the same subnet can be created right after).
/// </summary>
public sealed class NetworkCreateRejectionTests
{
    private const string FreeSubnet = "10.77.0.0/24";

    private sealed class Scenario : IDisposable
    {
        public NetPortalApiFactory Api { get; } = new();
        public HttpClient Client { get; }
        private List<string> _before = [];

        public Scenario() => Client = Api.CreateClient();

        public async Task<Scenario> Snapshot()
        {
            _before = await Client.ListNames();
            return this;
        }

        /// <summary>List unchanged, no setup, and <see cref="FreeSubnet"/> can be taken.</summary>
        public async Task AssertNothingCreated()
        {
            Assert.Equal(_before, await Client.ListNames());
            Assert.Empty(Api.Bridge.Setups);
            await Client.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName("after")}}}","IPAM":{"Config":[{"Subnet":"{{{FreeSubnet}}}"}]}}""");
            // The auto pool too: nothing kept 172.18.0.0/16.
            var id = await Client.CreateNamed(DockerHttp.UniqueName("auto"));
            Assert.Equal("172.18.0.0/16", (string)(await Client.GetJson("/networks/" + id))["IPAM"]!["Config"]![0]!["Subnet"]!);
        }

        public void Dispose() => Api.Dispose();
    }

    private static async Task Refused(string body, HttpStatusCode status, string message, Action<NetPortalApiFactory>? arrange = null)
    {
        using var s = await new Scenario().Snapshot();
        arrange?.Invoke(s.Api);
        await DockerHttp.AssertError(await s.Client.CreateRaw(body), status, message);
        s.Api.HostState.SetPrefixes();
        await s.AssertNothingCreated();
    }

    private static async Task RefusedWithPrefix(string body, HttpStatusCode status, string prefix)
    {
        using var s = await new Scenario().Snapshot();
        await DockerHttp.AssertErrorStartsWith(await s.Client.CreateRaw(body), status, prefix);
        await s.AssertNothingCreated();
    }

    [Theory]
    [InlineData("{\"Name\":")]
    [InlineData("{\"Name\" \"x\"}")]
    [InlineData("[1,2")]
    [InlineData("{\"Name\":\"x\",}")]
    public Task Malformed_json_is_400_invalid_json(string body) =>
        RefusedWithPrefix(body, HttpStatusCode.BadRequest, "invalid JSON: ");

    [Theory]
    [InlineData("{\"Name\":1}")]
    [InlineData("{\"Name\":\"x\",\"Internal\":\"yes\"}")]
    [InlineData("{\"Name\":\"x\",\"Labels\":[\"a\"]}")]
    [InlineData("{\"Name\":\"x\",\"IPAM\":{\"Config\":{\"Subnet\":\"10.0.0.0/24\"}}}")]
    public Task Wrong_json_types_are_400_invalid_json(string body) =>
        RefusedWithPrefix(body, HttpStatusCode.BadRequest, "invalid JSON: ");

    [Theory]
    [InlineData("{\"Name\":\"x\"} x")]
    [InlineData("{\"Name\":\"x\"}{}")]
    public Task Trailing_content_is_refused(string body) =>
        Refused(body, HttpStatusCode.BadRequest, "unexpected content after JSON");

    [Fact]
    public async Task Non_json_content_type_is_refused()
    {
        using var s = await new Scenario().Snapshot();
        var r = await s.Client.SendAsync(DockerHttp.Request(HttpMethod.Post, "/networks/create", """{"Name":"x"}""", "text/plain"));
        await DockerHttp.AssertError(r, HttpStatusCode.BadRequest, "unsupported Content-Type header (text/plain): must be 'application/json'");
        await s.AssertNothingCreated();
    }

    [Fact]
    public async Task Json_with_charset_is_accepted()
    {
        using var s = new Scenario();
        var r = await s.Client.SendAsync(DockerHttp.Request(HttpMethod.Post, "/networks/create", $$$"""{"Name":"{{{DockerHttp.UniqueName()}}}"}""", "application/json; charset=utf-8"));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
    }

    [Fact]
    public async Task Empty_body_with_json_content_type_is_eof()
    {
        using var s = await new Scenario().Snapshot();
        var r = await s.Client.SendAsync(DockerHttp.Request(HttpMethod.Post, "/networks/create", "", "application/json"));
        await DockerHttp.AssertError(r, HttpStatusCode.BadRequest, "invalid JSON: got EOF while reading request body");
        await s.AssertNothingCreated();
    }

    [Fact]
    public async Task No_body_at_all_means_defaults_and_so_an_empty_name()
    {
        using var s = await new Scenario().Snapshot();
        var r = await s.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/networks/create"));
        await DockerHttp.AssertError(r, HttpStatusCode.BadRequest, "invalid name: name is empty");
        await s.AssertNothingCreated();
    }

    [Fact]
    public Task Empty_name_is_refused() =>
        Refused("""{"Name":""}""", HttpStatusCode.BadRequest, "invalid name: name is empty");

    [Fact]
    public Task Invalid_cidr_is_refused() =>
        Refused("""{"Name":"x","IPAM":{"Config":[{"Subnet":"10.0.0/24"}]}}""", HttpStatusCode.BadRequest,
            "invalid network config:\ninvalid subnet 10.0.0/24: invalid CIDR block notation");

    [Fact]
    public Task Subnet_with_host_bits_is_refused() =>
        Refused("""{"Name":"x","IPAM":{"Config":[{"Subnet":"10.0.0.1/24"}]}}""", HttpStatusCode.BadRequest,
            "invalid network config:\ninvalid subnet 10.0.0.1/24: it should be 10.0.0.0/24");

    [Fact]
    public Task Gateway_outside_the_subnet_is_refused() =>
        Refused("""{"Name":"x","IPAM":{"Config":[{"Subnet":"10.0.0.0/24","Gateway":"10.1.0.1"}]}}""", HttpStatusCode.BadRequest,
            "invalid network config:\ninvalid gateway 10.1.0.1: parent subnet 10.0.0.0/24 doesn't contain this address");

    [Fact]
    public Task Ip_range_outside_the_subnet_is_refused() =>
        Refused("""{"Name":"x","IPAM":{"Config":[{"Subnet":"10.0.0.0/24","IPRange":"10.0.1.0/25"}]}}""", HttpStatusCode.BadRequest,
            "invalid network config:\ninvalid ip-range 10.0.1.0/25: parent subnet 10.0.0.0/24 doesn't contain ip-range");

    [Fact]
    public Task Aux_address_outside_the_subnet_is_refused() =>
        Refused("""{"Name":"x","IPAM":{"Config":[{"Subnet":"10.0.0.0/24","AuxiliaryAddresses":{"r":"10.9.9.9"}}]}}""", HttpStatusCode.BadRequest,
            "invalid network config:\ninvalid auxiliary address r: parent subnet 10.0.0.0/24 doesn't contain this address");

    [Fact]
    public Task Several_errors_are_listed_with_stars() =>
        Refused("""{"Name":"x","IPAM":{"Config":[{"Subnet":"10.0.0.0/24","Gateway":"10.1.0.1","IPRange":"10.0.1.0/25"}]}}""", HttpStatusCode.BadRequest,
            "invalid network config:\n* invalid ip-range 10.0.1.0/25: parent subnet 10.0.0.0/24 doesn't contain ip-range\n* invalid gateway 10.1.0.1: parent subnet 10.0.0.0/24 doesn't contain this address");

    [Fact]
    public Task Invalid_enable_ipv6_option_is_refused() =>
        Refused("""{"Name":"x","Options":{"com.docker.network.enable_ipv6":"yes"}}""", HttpStatusCode.BadRequest,
            "driver-opt \"com.docker.network.enable_ipv6\" is not a valid bool");

    [Fact]
    public Task Both_families_disabled_is_refused() =>
        Refused("""{"Name":"x","EnableIPv4":false,"EnableIPv6":false}""", HttpStatusCode.BadRequest, "IPv4 or IPv6 must be enabled");

    [Fact]
    public Task Unknown_driver_is_a_missing_plugin() =>
        Refused("""{"Name":"x","Driver":"foo"}""", HttpStatusCode.NotFound, "plugin \"foo\" not found");

    [Fact]
    public Task Unknown_ipam_driver_is_a_missing_plugin() =>
        Refused("""{"Name":"x","IPAM":{"Driver":"bar"}}""", HttpStatusCode.NotFound, "plugin \"bar\" not found");

    [Fact]
    public Task Overlay_needs_swarm() =>
        Refused("""{"Name":"x","Driver":"overlay"}""", HttpStatusCode.Forbidden,
            "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.");

    [Fact]
    public Task Missing_config_from_network_is_refused() =>
        Refused("""{"Name":"x","ConfigFrom":{"Network":"nope"}}""", HttpStatusCode.NotFound, "configuration network \"nope\" does not exist");

    [Fact]
    public Task Overlap_with_a_host_prefix_is_refused() =>
        Refused("""{"Name":"x","IPAM":{"Config":[{"Subnet":"10.77.0.0/16"}]}}""", HttpStatusCode.Forbidden,
            "invalid pool request: subnet 10.77.0.0/16 overlaps with 10.77.0.0/24 present in the managed namespace",
            api => api.HostState.SetPrefixes("10.77.0.0/24"));

    [Fact]
    public async Task Host_prefix_is_skipped_by_automatic_allocation()
    {
        using var s = new Scenario();
        s.Api.HostState.SetPrefixes("172.18.5.0/24");
        var id = await s.Client.CreateNamed(DockerHttp.UniqueName());
        Assert.Equal("172.19.0.0/16", (string)(await s.Client.GetJson("/networks/" + id))["IPAM"]!["Config"]![0]!["Subnet"]!);
    }

    [Fact]
    public async Task Duplicate_name_is_409_and_changes_nothing()
    {
        using var s = new Scenario();
        var name = DockerHttp.UniqueName("dup");
        var id = await s.Client.CreateNetwork($$$"""{"Name":"{{{name}}}","IPAM":{"Config":[{"Subnet":"10.60.0.0/24"}]}}""");
        var before = await s.Client.ListNames();
        await DockerHttp.AssertError(await s.Client.CreateRaw($$$"""{"Name":"{{{name}}}","IPAM":{"Config":[{"Subnet":"10.61.0.0/24"}]}}"""),
            HttpStatusCode.Conflict, $"network with name {name} already exists");
        Assert.Equal(before, await s.Client.ListNames());
        Assert.Equal([name], s.Api.Bridge.Setups);
        Assert.Equal(id, (string)(await s.Client.GetJson("/networks/" + name))["Id"]!);
        // 10.61.0.0/24 was not kept by the refused request.
        await s.Client.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","IPAM":{"Config":[{"Subnet":"10.61.0.0/24"}]}}""");
    }

    [Theory]
    [InlineData("10.62.0.0/24")]
    [InlineData("10.62.0.128/25")]
    [InlineData("10.0.0.0/8")]
    [InlineData("172.17.0.0/24")]
    public async Task Overlapping_pool_is_403(string subnet)
    {
        using var s = new Scenario();
        await s.Client.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","IPAM":{"Config":[{"Subnet":"10.62.0.0/24"}]}}""");
        var before = await s.Client.ListNames();
        var setups = s.Api.Bridge.Setups.Count;
        await DockerHttp.AssertError(await s.Client.CreateRaw($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","IPAM":{"Config":[{"Subnet":"{{{subnet}}}"}]}}"""),
            HttpStatusCode.Forbidden, "invalid pool request: Pool overlaps with other one on this address space");
        Assert.Equal(before, await s.Client.ListNames());
        Assert.Equal(setups, s.Api.Bridge.Setups.Count);
    }

    [Fact]
    public async Task Oversized_body_is_413()
    {
        using var s = await new Scenario().Snapshot();
        var huge = "{\"Name\":\"x\",\"Labels\":{\"pad\":\"" + new string('a', (1 << 20) + 10) + "\"}}";
        var r = await s.Client.PostAsync("/networks/create", new StringContent(huge, Encoding.UTF8, "application/json"));
        await DockerHttp.AssertError(r, HttpStatusCode.RequestEntityTooLarge, "request body too large: the limit is 1048576 bytes");
        await s.AssertNothingCreated();
    }

    [Fact]
    public async Task Driver_setup_failure_is_500_and_releases_the_pool()
    {
        using var s = await new Scenario().Snapshot();
        s.Api.Bridge.FailSetup = true;
        await DockerHttp.AssertError(await s.Client.CreateRaw($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","IPAM":{"Config":[{"Subnet":"{{{FreeSubnet}}}"}]}}"""),
            HttpStatusCode.InternalServerError, FakeBridgeDriver.SetupFailureMessage);
        Assert.Empty(s.Api.Bridge.Teardowns);
        s.Api.Bridge.FailSetup = false;
        await s.AssertNothingCreated();
    }

    [Fact]
    public async Task Store_failure_after_setup_tears_the_network_down_again()
    {
        using var s = await new Scenario().Snapshot();
        var name = DockerHttp.UniqueName("store");
        s.Api.Store.FailAdds = true;
        await DockerHttp.AssertError(await s.Client.CreateRaw($$$"""{"Name":"{{{name}}}","IPAM":{"Config":[{"Subnet":"{{{FreeSubnet}}}"}]}}"""),
            HttpStatusCode.InternalServerError, FailingNetworkStore.FailureMessage);
        s.Api.Store.FailAdds = false;
        Assert.Equal([name], s.Api.Bridge.Setups);
        Assert.Equal([name], s.Api.Bridge.Teardowns);
        var after = await s.Client.ListNames();
        Assert.DoesNotContain(name, after);
        // The pool was released: the same subnet can be taken.
        await s.Client.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","IPAM":{"Config":[{"Subnet":"{{{FreeSubnet}}}"}]}}""");
    }

    [Fact]
    public async Task Bridge_name_clash_is_refused_by_the_driver_before_setup()
    {
        using var s = new Scenario();
        await s.Client.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","Options":{"com.docker.network.bridge.name":"br-same"}}""");
        var r = await s.Client.CreateRaw($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","IPAM":{"Config":[{"Subnet":"{{{FreeSubnet}}}"}]},"Options":{"com.docker.network.bridge.name":"br-same"}}""");
        await DockerHttp.AssertErrorStartsWith(r, HttpStatusCode.Forbidden, "cannot create network ");
        Assert.Single(s.Api.Bridge.Setups);
        await s.Client.CreateNetwork($$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","IPAM":{"Config":[{"Subnet":"{{{FreeSubnet}}}"}]}}""");
    }

    [Fact]
    public async Task Names_and_bridge_names_are_free_again_once_their_network_is_removed_and_only_then()
    {
        using var s = new Scenario();
        var name = DockerHttp.UniqueName();
        var body = $$$"""{"Name":"{{{name}}}","Options":{"com.docker.network.bridge.name":"br-reuse"}}""";
        var id = await s.Client.CreateNetwork(body);
        await DockerHttp.AssertErrorStartsWith(await s.Client.CreateRaw(body), HttpStatusCode.Conflict, $"network with name {name} already exists");
        var other = $$$"""{"Name":"{{{DockerHttp.UniqueName()}}}","Options":{"com.docker.network.bridge.name":"br-reuse"}}""";
        await DockerHttp.AssertErrorStartsWith(await s.Client.CreateRaw(other), HttpStatusCode.Forbidden, "cannot create network ");

        // A setup that fails releases what the create reserved.
        s.Api.Bridge.FailSetup = true;
        var failed = DockerHttp.UniqueName();
        Assert.Equal(HttpStatusCode.InternalServerError, (await s.Client.CreateRaw($$$"""{"Name":"{{{failed}}}","Options":{"com.docker.network.bridge.name":"br-failed"}}""")).StatusCode);
        s.Api.Bridge.FailSetup = false;
        await s.Client.CreateNetwork($$$"""{"Name":"{{{failed}}}","Options":{"com.docker.network.bridge.name":"br-failed"}}""");

        Assert.Equal(HttpStatusCode.NoContent, (await s.Client.DeleteAsync($"/networks/{id}")).StatusCode);
        await s.Client.CreateNetwork(body);
        await DockerHttp.AssertErrorStartsWith(await s.Client.CreateRaw(other), HttpStatusCode.Forbidden, "cannot create network ");
    }
}
