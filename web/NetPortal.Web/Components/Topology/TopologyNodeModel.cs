using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;

namespace NetPortal.Web.Components.Topology;

/// <summary>A node of the topology graph: the namespace, a bridge, a network, a sandbox or a published port.</summary>
public sealed class TopologyNodeModel(string key, Point position, string kind, string label, string detail, string? href) : NodeModel(key, position)
{
    public string Kind { get; } = kind;
    public string Label { get; } = label;
    public string Detail { get; } = detail;
    /// <summary>Dashboard page with the details of this object, if any.</summary>
    public string? Href { get; } = href;
}
