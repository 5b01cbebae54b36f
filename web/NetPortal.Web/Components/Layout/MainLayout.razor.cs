using MudBlazor;

namespace NetPortal.Web.Components.Layout;

public sealed partial class MainLayout
{
    private readonly MudTheme _theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1565c0", AppbarBackground = "#1565c0" },
        PaletteDark = new PaletteDark { Primary = "#64b5f6", AppbarBackground = "#1e2230" },
    };

    private bool _dark;
    private bool _drawerOpen = true;

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;
    private void ToggleTheme() => _dark = !_dark;
}
