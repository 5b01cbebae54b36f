using NetPortal.Web.Components.Shared;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Components.Pages;

public sealed partial class Ipam : LivePage
{
    private IReadOnlyList<IpamNetwork> _items = [];

    protected override async Task LoadAsync(CancellationToken ct) =>
        _items = (await Api.GetIpamAsync(ct)).OrderBy(n => n.NetworkName, StringComparer.Ordinal).ToList();
}
