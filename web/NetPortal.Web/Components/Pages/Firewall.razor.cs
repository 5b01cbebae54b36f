using Microsoft.AspNetCore.Components;
using MudBlazor;
using NetPortal.Web.Components.Shared;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Components.Pages;

public sealed partial class Firewall : LivePage
{
    private FirewallView? _view;
    private IReadOnlyList<string> _networks = [];
    private IReadOnlyList<string> _containers = [];
    private bool _hideEmpty = true;

    [SupplyParameterFromQuery(Name = "network")] public string? NetworkQuery { get; set; }
    [SupplyParameterFromQuery(Name = "container")] public string? ContainerQuery { get; set; }

    private string _network = "";
    private string _container = "";

    protected override Task OnInitializedAsync()
    {
        _network = NetworkQuery ?? "";
        _container = ContainerQuery ?? "";
        return base.OnInitializedAsync();
    }

    protected override async Task LoadAsync(CancellationToken ct)
    {
        _view = await Api.GetFirewallAsync(_network, _container, ct);
        _networks = (await Api.GetNetworksAsync(ct)).Select(n => n.Name).Order(StringComparer.Ordinal).ToList();
        _containers = (await Api.GetContainersAsync(ct)).Select(c => c.Names.FirstOrDefault()?.TrimStart('/') ?? c.Id).Order(StringComparer.Ordinal).ToList();
    }

    private async Task NetworkChanged(ChangeEventArgs e)
    {
        _network = e.Value?.ToString() ?? "";
        await ReloadAsync();
    }

    private async Task ContainerChanged(ChangeEventArgs e)
    {
        _container = e.Value?.ToString() ?? "";
        await ReloadAsync();
    }

    private static Color OwnerColor(string? kind) => kind switch
    {
        "network" => Color.Primary,
        "container" => Color.Secondary,
        "port" => Color.Info,
        "user" => Color.Warning,
        _ => Color.Default,
    };
}
