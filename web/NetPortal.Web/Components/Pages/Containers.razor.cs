using NetPortal.Web.Components.Shared;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Components.Pages;

public sealed partial class Containers : LivePage
{
    private IReadOnlyList<ContainerSummary> _items = [];

    protected override async Task LoadAsync(CancellationToken ct) =>
        _items = (await Api.GetContainersAsync(ct)).OrderBy(c => c.Names.FirstOrDefault(), StringComparer.Ordinal).ToList();
}
