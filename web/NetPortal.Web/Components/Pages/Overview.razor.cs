using NetPortal.Web.Components.Shared;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Components.Pages;

public sealed partial class Overview : LivePage
{
    private bool _healthy;
    private VersionInfo? _version;
    private int _networks, _containers, _running;
    private IReadOnlyList<DockerEvent> _recent = [];

    protected override bool IsRelevant(DockerEvent e) => true;

    protected override async Task LoadAsync(CancellationToken ct)
    {
        _healthy = await Api.PingAsync(ct);
        _version = await Api.GetVersionAsync(ct);
        var networks = await Api.GetNetworksAsync(ct);
        var containers = await Api.GetContainersAsync(ct);
        _networks = networks.Count;
        _containers = containers.Count;
        _running = containers.Count(c => c.State == "running");
        _recent = Events.Recent;
    }

    internal static string Describe(DockerEvent e)
    {
        var attrs = e.Actor.Attributes ?? [];
        var name = attrs.GetValueOrDefault("name") ?? (e.Actor.ID.Length > 12 ? e.Actor.ID[..12] : e.Actor.ID);
        return attrs.TryGetValue("container", out var c) ? $"{name} ← container {(c.Length > 12 ? c[..12] : c)}" : name;
    }
}
