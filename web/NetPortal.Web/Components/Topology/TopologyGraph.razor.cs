using Blazor.Diagrams;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using Blazor.Diagrams.Core.PathGenerators;
using Blazor.Diagrams.Core.Routers;
using Blazor.Diagrams.Options;
using Microsoft.AspNetCore.Components;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Components.Topology;

/// <summary>The interactive graph (Z.Blazor.Diagrams): drag, zoom, click a node for its details; a button list gives keyboard access.</summary>
public sealed partial class TopologyGraph : IDisposable
{
    private static readonly string[] Kinds = ["namespace", "bridge", "network", "sandbox", "port"];
    // A node's box is at most this big (TopologyNodeWidget.razor.css), for deciding whether the graph fits.
    private const double NodeWidth = 180, NodeHeight = 90;
    private readonly BlazorDiagram _diagram;
    private TopologyView? _shown;
    private bool _fitPending;

    public TopologyGraph()
    {
        var options = new BlazorDiagramOptions
        {
            AllowMultiSelection = false,
            Zoom = { Enabled = true },
            Links = { DefaultRouter = new NormalRouter(), DefaultPathGenerator = new SmoothPathGenerator() },
        };
        _diagram = new BlazorDiagram(options);
        _diagram.RegisterComponent<TopologyNodeModel, TopologyNodeWidget>();
        _diagram.SelectionChanged += OnSelectionChanged;
        _diagram.ContainerChanged += FitIfPending;
    }

    [Parameter, EditorRequired] public required TopologyView View { get; set; }

    private TopologyNodeModel? Selected { get; set; }

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(View, _shown)) return;
        _shown = View;
        var keep = _diagram.Nodes.ToDictionary(n => n.Id, n => n.Position, StringComparer.Ordinal);
        var selected = Selected?.Id;
        var graph = TopologyLayout.Build(View, keep);
        // New or removed objects: fit the view again after the render (a drag or zoom of the user's is kept otherwise).
        _fitPending |= !graph.Nodes.Select(n => n.Key).ToHashSet(StringComparer.Ordinal).SetEquals(keep.Keys);
        _diagram.Batch(() =>
        {
            _diagram.Links.Clear();
            _diagram.Nodes.Clear();
            var byKey = new Dictionary<string, NodeModel>(StringComparer.Ordinal);
            foreach (var n in graph.Nodes)
                byKey[n.Key] = _diagram.Nodes.Add(new TopologyNodeModel(n.Key, n.Position, n.Kind, n.Label, n.Detail, n.Href));
            foreach (var l in graph.Links)
            {
                if (!byKey.TryGetValue(l.From, out var a) || !byKey.TryGetValue(l.To, out var b)) continue;
                // Addresses are shown on the sandbox nodes: link labels all meet mid-canvas and overlap.
                _diagram.Links.Add(new LinkModel(a, b));
            }
        });
        Selected = selected is null ? null : _diagram.Nodes.OfType<TopologyNodeModel>().FirstOrDefault(n => n.Id == selected);
    }

    protected override void OnAfterRender(bool firstRender) => FitIfPending();

    private void FitIfPending()
    {
        // The canvas reports its size through JS after its first render (ContainerChanged); until then there is
        // nothing to fit into.
        if (!_fitPending || _diagram.Container is not { Width: > 0, Height: > 0 } box || _diagram.Nodes.Count == 0) return;
        _fitPending = false;
        var right = _diagram.Nodes.Max(n => n.Position.X) + NodeWidth;
        var bottom = _diagram.Nodes.Max(n => n.Position.Y) + NodeHeight;
        // Only ever zoom out: a small graph stays at 100 %. (The library's ZoomToFit needs every node's measured
        // size, which the browser reports later; the layout's positions and the widest node box are enough.)
        const double margin = 20;
        var zoom = Math.Min(1, Math.Min(box.Width / (right + margin), box.Height / (bottom + margin)));
        if (zoom >= 1) return;
        _diagram.SetPan(0, 0);
        _diagram.SetZoom(zoom);
    }

    private void OnSelectionChanged(SelectableModel model)
    {
        if (model is TopologyNodeModel n && n.Selected)
        {
            Selected = n;
            InvokeAsync(StateHasChanged);
        }
    }

    private void Select(TopologyNodeModel n)
    {
        _diagram.UnselectAll();
        _diagram.SelectModel(n, unselectOthers: true);
        Selected = n;
    }

    public void Dispose()
    {
        _diagram.SelectionChanged -= OnSelectionChanged;
        _diagram.ContainerChanged -= FitIfPending;
    }
}
