using Bunit;
using NetPortal.Web.Components.Pages;
using NetPortal.Web.Services.Models;
using NetPortal.Web.Tests.Fakes;

namespace NetPortal.Web.Tests.Components;

public sealed class OtherPagesTests
{
    [Fact]
    public async Task Ipam_draws_usage_map_and_highlights_conflicts()
    {
        await using var ctx = new DashboardContext();
        ctx.Api.Ipam.Add(new IpamNetwork("n1", "mynet",
        [
            new IpamSubnet("10.1.1.0/24", null, "10.1.1.1", "256", "3", "253", "253",
                [new IpamReserved("10.1.1.0", "network"), new IpamReserved("10.1.1.1", "gateway"), new IpamReserved("10.1.1.255", "broadcast")],
                [new IpamAllocation("10.1.1.2", "c", "c1", "e")],
                [new IpamConflict("10.1.1.128/25", "tun0", "route", null)]),
        ]));
        var cut = ctx.RenderPage<Ipam>();

        cut.WaitForAssertion(() => Assert.Equal(256, cut.FindAll(".np-map .np-cell").Count));
        Assert.Single(cut.FindAll(".np-map .np-cell-used"));
        Assert.Equal(3, cut.FindAll(".np-map .np-cell-reserved").Count);
        Assert.Equal(127, cut.FindAll(".np-map .np-cell-conflict").Count); // .128–.254; .255 stays reserved
        Assert.Contains("10.1.1.128/25", cut.Find(".np-conflict").TextContent, StringComparison.Ordinal);
        Assert.Contains("c1", cut.Find(".np-allocations").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Firewall_shows_owners_counters_and_marks_user_rules()
    {
        await using var ctx = new DashboardContext();
        ctx.Api.Firewall = new FirewallView("iptables",
        [
            new FirewallTable("ipv4", "filter",
            [
                new FirewallChain("FORWARD", "DROP", [new FirewallRule(1, "-A FORWARD -j DOCKER-USER", 12, 3400, new RuleOwner("daemon", "", "base chain"), false)]),
                new FirewallChain("DOCKER-USER", null, [new FirewallRule(1, "-A DOCKER-USER -j RETURN", 0, 0, new RuleOwner("user", "", ""), true)]),
            ]),
        ]);
        var cut = ctx.RenderPage<Firewall>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".np-rules tbody tr").Count));
        Assert.Contains("3400", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("base chain", cut.Markup, StringComparison.Ordinal);
        Assert.Single(cut.FindAll(".np-row-user"));
    }

    [Fact]
    public async Task Topology_lists_every_object_and_shows_details_on_select()
    {
        await using var ctx = new DashboardContext();
        ctx.Api.Topology = new TopologyView(
            new TopologyNamespace("/var/run/netns/demo", [new TopologyInterface("br-1", "bridge", true, 1500, ["10.1.1.1/24"], null)]),
            [new TopologyNetwork("n1", "mynet", "bridge", "br-1", false, ["10.1.1.0/24"], ["10.1.1.1"], true, true)],
            [new TopologySandbox("c1id", "c1", "running", "mynet", null,
                [new TopologyEndpoint("n1", "mynet", "eth0", "veth1", null, "10.1.1.2/24", null, true)],
                [new TopologyPort("tcp", "0.0.0.0", 8080, "10.1.1.2", 80)])],
            []);
        var cut = ctx.RenderPage<Topology>();

        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll(".np-node-chip").Count));
        cut.Find(".np-node-chip[data-key='net:n1']").Click();
        Assert.Equal("mynet", cut.Find("#selected-label").TextContent);
        Assert.Equal("networks/mynet", cut.Find("#selected-link").GetAttribute("href"));
    }

    [Fact]
    public async Task Topology_with_many_networks_wraps_its_bands_and_zooms_out_to_fit_the_canvas()
    {
        await using var ctx = new DashboardContext();
        var networks = Enumerable.Range(0, 20)
            .Select(i => new TopologyNetwork($"n{i}", $"net{i}", "bridge", null, false, [$"10.{i}.0.0/24"], [$"10.{i}.0.1"], true, true)).ToList();
        ctx.Api.Topology = new TopologyView(new TopologyNamespace("/var/run/netns/demo", []), networks, [], []);
        var cut = ctx.RenderPage<Topology>();

        cut.WaitForAssertion(() => Assert.Equal(21, cut.FindAll(".np-node-chip").Count));
        // The canvas is 1000 x 560 in the test context; 20 networks in 4 lines of 6 need about 1160 x 690 at 100 %.
        cut.WaitForAssertion(() => Assert.True(Zoom(cut.Markup) < 1, $"zoom {Zoom(cut.Markup)}"));
    }

    [Fact]
    public async Task Topology_with_a_few_objects_stays_at_full_size()
    {
        await using var ctx = new DashboardContext();
        ctx.Api.Topology = new TopologyView(new TopologyNamespace("/var/run/netns/demo", []),
            [new TopologyNetwork("n1", "mynet", "bridge", null, false, ["10.1.1.0/24"], ["10.1.1.1"], true, true)], [], []);
        var cut = ctx.RenderPage<Topology>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".np-node-chip").Count));
        Assert.Equal(1, Zoom(cut.Markup));
    }

    private static double Zoom(string markup)
    {
        var m = System.Text.RegularExpressions.Regex.Match(markup, @"scale\(([0-9.]+)\)");
        return m.Success ? double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : double.NaN;
    }

    [Fact]
    public async Task Overview_shows_counts_and_live_events()
    {
        await using var ctx = new DashboardContext();
        ctx.Api.Networks.Add(FakeApiClient.Network("bridge"));
        ctx.Api.Containers.AddRange([FakeApiClient.Container("a"), FakeApiClient.Container("b", "exited")]);
        var cut = ctx.RenderPage<Overview>();
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("#count-networks").TextContent));
        Assert.Equal("1 / 2", cut.Find("#count-containers").TextContent);

        ctx.Events.Raise("network", "create", "fresh");
        cut.WaitForAssertion(() => Assert.Contains("fresh", cut.Find("#events").TextContent, StringComparison.Ordinal));
    }
}
