using Microsoft.AspNetCore.Components;
using NetPortal.Web.Components.Shared;
using NetPortal.Web.Services;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Components.Pages;

public sealed partial class NetworkDetail : LivePage
{
    private NetworkSummary? _network;
    private IReadOnlyList<ContainerSummary> _candidates = [];
    private string _connect = "";
    private string? _actionError;

    [Parameter] public string Id { get; set; } = "";

    protected override async Task LoadAsync(CancellationToken ct)
    {
        _network = await Api.GetNetworkAsync(Id, ct);
        var attached = _network.Containers?.Keys.ToHashSet(StringComparer.Ordinal) ?? [];
        _candidates = (await Api.GetContainersAsync(ct)).Where(c => !attached.Contains(c.Id)).ToList();
    }

    private static string Name(ContainerSummary c) => c.Names.FirstOrDefault()?.TrimStart('/') ?? c.Id[..Math.Min(12, c.Id.Length)];

    private Task ConnectAsync() => ActAsync(() => Api.ConnectAsync(_network!.Id, _connect));

    private Task DisconnectAsync(string container) => ActAsync(() => Api.DisconnectAsync(_network!.Id, container, force: false));

    private async Task ActAsync(Func<Task> action)
    {
        if (!CanWrite || _network is null) return;
        _actionError = null;
        try
        {
            await action();
            _connect = "";
            await ReloadAsync();
        }
        catch (ApiException e)
        {
            _actionError = e.Message;
        }
    }
}
