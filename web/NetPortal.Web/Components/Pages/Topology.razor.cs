using NetPortal.Web.Components.Shared;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Components.Pages;

public sealed partial class Topology : LivePage
{
    private TopologyView? _view;

    protected override async Task LoadAsync(CancellationToken ct) => _view = await Api.GetTopologyAsync(ct);
}
