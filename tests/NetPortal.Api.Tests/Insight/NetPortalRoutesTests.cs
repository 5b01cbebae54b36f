using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NetPortal.Api.Tests.Infrastructure;
using NetPortal.Core.Insight;

namespace NetPortal.Api.Tests.Insight;

/// <summary>/netportal/* through the real pipeline and use cases, over the fake kernel of <see cref="FakeInsightKernel"/>.</summary>
public sealed class NetPortalRoutesTests : IDisposable
{
    private readonly NetPortalApiFactory _api = new();
    private readonly FakeInsightKernel _kernel = new();
    private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _app;
    private readonly HttpClient _c;

    public NetPortalRoutesTests()
    {
        _app = _api.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.RemoveAll<IHostInterfaces>();
            s.RemoveAll<ISandboxRoutes>();
            s.RemoveAll<IFirewallInspector>();
            s.AddSingleton<IHostInterfaces>(_kernel);
            s.AddSingleton<ISandboxRoutes>(_kernel);
            s.AddSingleton<IFirewallInspector>(_kernel);
        }));
        _c = _app.CreateClient();
    }

    public void Dispose()
    {
        _c.Dispose();
        _app.Dispose();
        _api.Dispose();
    }

    /// <summary>Networks n1 and n2 with c1 on n1 and c2 on n2, running; returns the bridges.</summary>
    private async Task<(string Br1, string Br2, string Id1, string Id2)> TwoNetworks()
    {
        var n1 = await _c.CreateNetwork("""{"Name":"n1","IPAM":{"Config":[{"Subnet":"10.50.1.0/24"}]}}""");
        var n2 = await _c.CreateNetwork("""{"Name":"n2","IPAM":{"Config":[{"Subnet":"10.50.2.0/24"}]}}""");
        foreach (var (name, net) in new[] { ("c1", "n1"), ("c2", "n2") })
        {
            var r = await _c.PostJson($"/v1.50/containers/create?name={name}", $$$"""{"Image":"bb:latest","Cmd":["sleep","300"],"HostConfig":{"NetworkMode":"{{{net}}}"}}""");
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await _c.PostAsync($"/v1.50/containers/{name}/start", null)).StatusCode);
        }
        var (br1, br2) = ("br-" + n1[..12], "br-" + n2[..12]);
        _kernel.IptablesSave = FakeInsightKernel.DockerRules(br1, br2);
        _kernel.Interfaces.Add(new HostInterface(br1, "bridge", true, 1500, ["10.50.1.1/24"], null));
        _kernel.Interfaces.Add(new HostInterface(br2, "bridge", true, 1500, ["10.50.2.1/24"], null));
        return (br1, br2, n1, n2);
    }

    [Fact]
    public async Task Topology_has_the_contracts_names_and_the_reachability_matrix()
    {
        var (br1, _, n1, _) = await TwoNetworks();

        var r = await _c.GetAsync("/netportal/topology");
        DockerHttp.AssertJsonContentType(r);
        var t = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        Assert.Equal(["Namespace", "Networks", "Sandboxes", "Reachability"], t.AsObject().Select(p => p.Key));
        Assert.Equal("/var/run/netns/netportal-test", (string)t["Namespace"]!["Path"]!);
        Assert.Equal(["Name", "Kind", "Up", "Mtu", "Addresses", "Master"], t["Namespace"]!["Interfaces"]![0]!.AsObject().Select(p => p.Key));
        var net = t["Networks"]!.AsArray().Single(n => (string)n!["Name"]! == "n1")!;
        Assert.Equal(["Id", "Name", "Driver", "Bridge", "Internal", "Subnets", "Gateways", "Icc", "Masquerade"], net.AsObject().Select(p => p.Key));
        Assert.Equal((n1, br1, "10.50.1.0/24", "10.50.1.1"), ((string)net["Id"]!, (string)net["Bridge"]!, (string)net["Subnets"]![0]!, (string)net["Gateways"]![0]!));
        var c1 = t["Sandboxes"]!.AsArray().Single(s => (string)s!["Name"]! == "c1")!;
        Assert.Equal(["ContainerId", "Name", "State", "NetworkMode", "SandboxKey", "Endpoints", "Ports"], c1.AsObject().Select(p => p.Key));
        var ep = c1["Endpoints"]![0]!;
        Assert.Equal(["NetworkId", "NetworkName", "Interface", "HostInterface", "MacAddress", "IPv4", "IPv6", "IsDefaultGateway"], ep.AsObject().Select(p => p.Key));
        Assert.Equal(("n1", "eth0", true), ((string)ep["NetworkName"]!, (string)ep["Interface"]!, (bool)ep["IsDefaultGateway"]!));
        Assert.StartsWith("10.50.1.", (string)ep["IPv4"]!);
        var pairs = t["Reachability"]!.AsArray();
        Assert.Equal(2, pairs.Count);
        Assert.All(pairs, p => Assert.Equal(["From", "To", "Verdict"], p!.AsObject().Select(x => x.Key)));
        Assert.All(pairs, p => Assert.Equal("blocked", (string)p!["Verdict"]!));
    }

    [Fact]
    public async Task Reachability_names_the_deciding_rule_and_errors_are_messages()
    {
        var (_, br2, _, _) = await TwoNetworks();

        var r = await _c.GetJson("/netportal/reachability?from=c1&to=c2");
        Assert.Equal(["From", "To", "Verdict", "Steps", "Summary"], r.AsObject().Select(p => p.Key));
        Assert.Equal(("c1", "c2", "blocked"), ((string)r["From"]!, (string)r["To"]!, (string)r["Verdict"]!));
        var deciding = Assert.Single(r["Steps"]!.AsArray(), s => (bool)s!["Decides"]!)!;
        Assert.Equal(["Kind", "Table", "Chain", "Text", "Decides"], deciding.AsObject().Select(p => p.Key));
        Assert.Equal(("DOCKER-ISOLATION-STAGE-2", $"-A DOCKER-ISOLATION-STAGE-2 -o {br2} -j DROP"), ((string)deciding["Chain"]!, (string)deciding["Text"]!));

        // Through the versioned prefix too.
        Assert.Equal("blocked", (string)(await _c.GetJson("/v1.50/netportal/reachability?from=c1&to=c2"))["Verdict"]!);
        Assert.Equal("allowed", (string)(await _c.GetJson("/netportal/reachability?from=c1&to=outside"))["Verdict"]!);

        await DockerHttp.AssertError(await _c.GetAsync("/netportal/reachability?from=nope&to=c2"), HttpStatusCode.NotFound, "No such container: nope");
        await DockerHttp.AssertError(await _c.GetAsync("/netportal/reachability?from=c1&to=nope"), HttpStatusCode.NotFound, "No such container: nope");
        await DockerHttp.AssertErrorStartsWith(await _c.GetAsync("/netportal/reachability?from=c1"), HttpStatusCode.BadRequest, "invalid to");
        await DockerHttp.AssertErrorStartsWith(await _c.GetAsync("/netportal/reachability?to=c2"), HttpStatusCode.BadRequest, "from is required");
    }

    [Fact]
    public async Task Firewall_tags_owners_and_filters_by_network()
    {
        var (br1, _, n1, _) = await TwoNetworks();

        var all = await _c.GetJson("/netportal/firewall");
        Assert.Equal(["Backend", "Tables"], all.AsObject().Select(p => p.Key));
        var table = all["Tables"]![0]!;
        Assert.Equal(["Family", "Table", "Chains"], table.AsObject().Select(p => p.Key));
        var forward = table["Chains"]!.AsArray().Single(c => (string)c!["Name"]! == "FORWARD")!;
        Assert.Equal(["Name", "Policy", "Rules"], forward.AsObject().Select(p => p.Key));
        Assert.Equal("DROP", (string)forward["Policy"]!);
        var first = forward["Rules"]![0]!;
        Assert.Equal(["Position", "Text", "Packets", "Bytes", "Owner", "User"], first.AsObject().Select(p => p.Key));
        Assert.Equal("""{"Kind":"daemon","Id":"","Name":"jump"}""", first["Owner"]!.ToJsonString());
        var userRule = table["Chains"]!.AsArray().Single(c => (string)c!["Name"]! == "DOCKER-USER")!["Rules"]![0]!;
        Assert.True((bool)userRule["User"]!);

        var filtered = await _c.GetJson("/netportal/firewall?network=n1");
        var rules = filtered["Tables"]!.AsArray().SelectMany(t => t!["Chains"]!.AsArray()).SelectMany(c => c!["Rules"]!.AsArray()).ToList();
        Assert.Equal(5, rules.Count);
        Assert.All(rules, r => Assert.Equal(("network", n1, "n1"), ((string)r!["Owner"]!["Kind"]!, (string)r["Owner"]!["Id"]!, (string)r["Owner"]!["Name"]!)));
        Assert.Contains(rules, r => (string)r!["Text"]! == $"-A DOCKER-ISOLATION-STAGE-2 -o {br1} -j DROP" && (long)r["Packets"]! == 3 && (long)r["Bytes"]! == 252);

        Assert.Empty((await _c.GetJson("/netportal/firewall?container=c1"))["Tables"]!.AsArray());
        await DockerHttp.AssertError(await _c.GetAsync("/netportal/firewall?network=zzz"), HttpStatusCode.NotFound, "network zzz not found");
        await DockerHttp.AssertError(await _c.GetAsync("/netportal/firewall?container=zzz"), HttpStatusCode.NotFound, "No such container: zzz");
    }

    [Fact]
    public async Task Ipam_reports_counts_as_strings_allocations_and_conflicts()
    {
        await TwoNetworks();
        _api.HostState.SetPrefixes("10.50.1.0/25");

        var list = (await _c.GetJson("/netportal/ipam")).AsArray();
        var n1 = list.Single(n => (string)n!["NetworkName"]! == "n1")!;
        Assert.Equal(["NetworkId", "NetworkName", "Subnets"], n1.AsObject().Select(p => p.Key));
        var s = n1["Subnets"]![0]!;
        Assert.Equal(["Subnet", "IPRange", "Gateway", "Size", "InUse", "Free", "DynamicAvailable", "Reserved", "Allocations", "Conflicts"], s.AsObject().Select(p => p.Key));
        Assert.Equal(("10.50.1.0/24", "10.50.1.1", "256"), ((string)s["Subnet"]!, (string)s["Gateway"]!, (string)s["Size"]!));
        Assert.Null(s["IPRange"]);
        Assert.IsType<string>((string)s["InUse"]!);
        Assert.Equal(
            """[{"Address":"10.50.1.0","Reason":"network"},{"Address":"10.50.1.1","Reason":"gateway"},{"Address":"10.50.1.255","Reason":"broadcast"}]""",
            s["Reserved"]!.ToJsonString());
        var alloc = Assert.Single(s["Allocations"]!.AsArray())!;
        Assert.Equal(["Address", "ContainerId", "ContainerName", "EndpointId"], alloc.AsObject().Select(p => p.Key));
        Assert.Equal("c1", (string)alloc["ContainerName"]!);
        var conflict = Assert.Single(s["Conflicts"]!.AsArray())!;
        Assert.Equal(["Prefix", "Device", "Kind", "Since"], conflict.AsObject().Select(p => p.Key));
        Assert.Equal(("10.50.1.0/25", "eth0", "address"), ((string)conflict["Prefix"]!, (string)conflict["Device"]!, (string)conflict["Kind"]!));
        var since = (string)conflict["Since"]!;
        // First-seen time is remembered across checks.
        var again = (await _c.GetJson("/netportal/ipam")).AsArray().Single(n => (string)n!["NetworkName"]! == "n1")!["Subnets"]![0]!["Conflicts"]![0]!;
        Assert.Equal(since, (string)again["Since"]!);
        Assert.Empty(list.Single(n => (string)n!["NetworkName"]! == "n2")!["Subnets"]![0]!["Conflicts"]!.AsArray());
    }

    [Fact]
    public async Task Drift_lists_a_missing_bridge_and_repair_answers_changes()
    {
        var (br1, _, _, _) = await TwoNetworks();
        _kernel.Interfaces.RemoveAll(i => i.Name == br1);
        _kernel.Interfaces.Add(new HostInterface("br-0123456789ab", "bridge", true, 1500, [], null));

        var drift = await _c.GetJson("/netportal/drift");
        Assert.Equal(["Items"], drift.AsObject().Select(p => p.Key));
        var items = drift["Items"]!.AsArray();
        var missing = items.Single(i => (string)i!["Kind"]! == "missing-bridge" && (string)i["Subject"]! == "network n1")!;
        Assert.Equal(["Kind", "Subject", "Expected", "Actual", "Repairable"], missing.AsObject().Select(p => p.Key));
        Assert.Equal(("network n1", $"bridge {br1} with 10.50.1.1/24", "absent", true),
            ((string)missing["Subject"]!, (string)missing["Expected"]!, (string)missing["Actual"]!, (bool)missing["Repairable"]!));
        Assert.Contains(items, i => (string)i!["Kind"]! == "orphan-bridge" && (string)i["Subject"]! == "bridge br-0123456789ab");

        var repair = await _c.PostAsync("/netportal/drift/repair", null);
        Assert.Equal(HttpStatusCode.OK, repair.StatusCode);
        var body = JsonNode.Parse(await repair.Content.ReadAsStringAsync())!;
        Assert.Equal(["Changes"], body.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Routes_are_in_the_openapi_document_with_their_operation_ids()
    {
        var doc = await _c.GetJson("/swagger/v1/swagger.json");
        var ops = new Dictionary<string, string>
        {
            ["/netportal/topology"] = "NetPortalTopology",
            ["/netportal/ipam"] = "NetPortalIpam",
            ["/netportal/firewall"] = "NetPortalFirewall",
            ["/netportal/reachability"] = "NetPortalReachability",
            ["/netportal/drift"] = "NetPortalDrift",
        };
        foreach (var (path, id) in ops)
        {
            var get = doc["paths"]![path]!["get"]!;
            Assert.Equal(id, (string)get["operationId"]!);
            Assert.Equal("NetPortal", (string)get["tags"]![0]!);
            Assert.NotNull(get["responses"]!["200"]);
            Assert.NotNull(get["responses"]!["500"]);
        }
        Assert.Equal("NetPortalRepair", (string)doc["paths"]!["/netportal/drift/repair"]!["post"]!["operationId"]!);
        Assert.NotNull(doc["paths"]!["/netportal/reachability"]!["get"]!["responses"]!["404"]);
    }
}
