using NetPortal.Web.Components.Topology;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Tests.Components;

public sealed class TopologyLayoutTests
{
    [Fact]
    public void A_band_wraps_after_six_nodes_and_the_bands_below_move_down()
    {
        var networks = Enumerable.Range(0, 14)
            .Select(i => new TopologyNetwork($"n{i}", $"net{i}", "bridge", null, false, [], [], true, true)).ToList();
        var sandbox = new TopologySandbox("c1", "c1", "running", "net0", null, [new TopologyEndpoint("n0", "net0", "eth0", "v", null, "10.0.0.2/24", null, true)], []);
        var graph = TopologyLayout.Build(new TopologyView(new TopologyNamespace("/var/run/netns/x", []), networks, [sandbox], []));

        var nets = graph.Nodes.Where(n => n.Kind == "network").ToList();
        Assert.True(nets.Max(n => n.Position.X) <= TopologyLayout.Left + (TopologyLayout.MaxColumns - 1) * TopologyLayout.ColumnWidth);
        Assert.Equal(3, nets.Select(n => n.Position.Y).Distinct().Count()); // 14 = 6 + 6 + 2
        var sb = Assert.Single(graph.Nodes, n => n.Kind == "sandbox");
        Assert.True(sb.Position.Y > nets.Max(n => n.Position.Y), "sandboxes start below the last line of networks");
    }
}
