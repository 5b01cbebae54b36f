using Microsoft.Playwright;

namespace NetPortal.Web.Tests.EndToEnd;

/// <summary>Debian's Chromium driven by Playwright; nothing is downloaded. Screenshots go to TestResults/screenshots.</summary>
public static class Browser
{
    public static readonly string Screenshots = Path.Combine(FindRoot(), "TestResults", "screenshots");

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var pw = await Playwright.CreateAsync();
        var browser = await pw.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (pw, browser);
    }

    /// <summary>Opens a page and waits until the circuit is interactive, so clicks are not lost on the prerendered HTML.</summary>
    public static async Task<IPage> OpenAsync(IBrowser browser, string url, int width = 1280, int height = 800, bool dark = false)
    {
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        await page.GotoAsync(url);
        await Assertions.Expect(page.Locator("#mode")).ToHaveTextAsync("interactive", new() { Timeout = 30_000 });
        if (dark) await page.ClickAsync("#theme-toggle");
        return page;
    }

    public static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NetPortal.Web.Tests.csproj"))) dir = dir.Parent;
        return dir?.FullName ?? AppContext.BaseDirectory;
    }
}
