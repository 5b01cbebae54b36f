using NetPortal.Web.Components.Shared;
using NetPortal.Web.Services;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Components.Pages;

public sealed partial class Networks : LivePage
{
    private IReadOnlyList<NetworkSummary> _all = [];
    private string _filter = "";
    private string _driver = "";
    private string? _deleteError;

    private IReadOnlyList<NetworkSummary> Shown =>
        _all.Where(n => (_filter.Length == 0 || n.Name.Contains(_filter, StringComparison.OrdinalIgnoreCase) || n.Id.StartsWith(_filter, StringComparison.OrdinalIgnoreCase))
                        && (_driver.Length == 0 || n.Driver == _driver))
            .OrderBy(n => n.Name, StringComparer.Ordinal).ToList();

    protected override bool IsRelevant(DockerEvent e) => e.Type == "network";

    protected override async Task LoadAsync(CancellationToken ct) => _all = await Api.GetNetworksAsync(ct);

    private Task CreatedAsync(string name) => ReloadAsync();

    private async Task DeleteAsync(NetworkSummary n)
    {
        if (!CanWrite) return;
        _deleteError = null;
        try
        {
            await Api.DeleteNetworkAsync(n.Id);
            await ReloadAsync();
        }
        catch (ApiException e)
        {
            _deleteError = e.Message;
        }
    }
}
