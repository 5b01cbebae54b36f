using Blazor.Diagrams.Core.Geometry;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Components.Topology;

/// <summary>
/// Places the topology in bands (namespace, bridges, networks, sandboxes, ports) and lists the links; pure, so the
/// graph component only copies the result into the diagram, and positions the user dragged are kept by key. A band
/// wraps after <see cref="MaxColumns"/> nodes, so many networks make the graph taller, not endlessly wide.
/// </summary>
public static class TopologyLayout
{
    public const int MaxColumns = 6;
    public const double ColumnWidth = 190, RowHeight = 115, Left = 20, Top = 20;

    public sealed record Node(string Key, string Kind, string Label, string Detail, string? Href, Point Position);
    public sealed record Link(string From, string To, string? Label);
    public sealed record Graph(IReadOnlyList<Node> Nodes, IReadOnlyList<Link> Links);

    public static Graph Build(TopologyView view, IReadOnlyDictionary<string, Point>? keep = null)
    {
        var placed = new List<(int Band, int Index, Node Node)>();
        var links = new List<Link>();
        var counts = new int[5];
        void Add(int band, string key, string kind, string label, string detail, string? href) =>
            placed.Add((band, counts[band]++, new Node(key, kind, label, detail, href, default!)));

        const string ns = "ns";
        Add(0, ns, "namespace", Path.GetFileName(view.Namespace.Path) is { Length: > 0 } n ? n : view.Namespace.Path, $"{view.Namespace.Interfaces.Count} interfaces", null);
        var bridges = view.Namespace.Interfaces.Where(i => i.Kind == "bridge").ToList();
        foreach (var b in bridges)
        {
            Add(1, "br:" + b.Name, "bridge", b.Name, string.Join(" ", b.Addresses ?? []) + (b.Up ? "" : " (down)"), null);
            links.Add(new Link(ns, "br:" + b.Name, null));
        }
        foreach (var net in view.Networks)
        {
            var key = "net:" + net.Id;
            Add(2, key, "network", net.Name, string.Join(" ", net.Subnets ?? []) + (net.Internal ? " internal" : ""), $"networks/{Uri.EscapeDataString(net.Name)}");
            if (net.Bridge is { } br && bridges.Any(b => b.Name == br)) links.Add(new Link("br:" + br, key, null));
            else links.Add(new Link(ns, key, null));
        }
        foreach (var s in view.Sandboxes)
        {
            var key = "sb:" + s.ContainerId;
            Add(3, key, "sandbox", s.Name, string.Join(" ", s.Endpoints.Select(e => e.IPv4).Where(a => !string.IsNullOrEmpty(a))) is { Length: > 0 } ips ? ips : s.State, $"firewall?container={Uri.EscapeDataString(s.Name)}");
            foreach (var e in s.Endpoints)
                if (view.Networks.Any(n => n.Id == e.NetworkId)) links.Add(new Link("net:" + e.NetworkId, key, e.IPv4));
            foreach (var p in s.Ports ?? [])
            {
                var pk = $"port:{s.ContainerId}:{p.Protocol}:{p.HostIp}:{p.HostPort}";
                Add(4, pk, "port", $"{p.HostIp}:{p.HostPort}/{p.Protocol}", $"→ {s.Name}:{p.ContainerPort}", null);
                links.Add(new Link(key, pk, null));
            }
        }
        // Each band starts below the lines the bands above it took.
        var firstLine = new int[counts.Length];
        for (var b = 1; b < counts.Length; b++) firstLine[b] = firstLine[b - 1] + Math.Max(1, (counts[b - 1] + MaxColumns - 1) / MaxColumns);
        var nodes = placed.Select(x =>
        {
            var fresh = new Point(Left + (x.Index % MaxColumns) * ColumnWidth, Top + (firstLine[x.Band] + (x.Index / MaxColumns)) * RowHeight);
            return x.Node with { Position = keep is not null && keep.TryGetValue(x.Node.Key, out var kept) ? kept : fresh };
        }).ToList();
        return new Graph(nodes, links);
    }
}
