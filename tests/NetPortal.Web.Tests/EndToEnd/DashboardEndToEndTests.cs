using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace NetPortal.Web.Tests.EndToEnd;

/// <summary>The dashboard as a user sees it, served by a real daemon managing a private namespace, in Debian's Chromium.</summary>
public sealed class DashboardEndToEndTests(DashboardDaemon daemon) : IClassFixture<DashboardDaemon>
{
    private static readonly LocatorAssertionsToBeVisibleOptions Long = new() { Timeout = 20_000 };

    [Fact]
    public async Task Create_a_network_in_the_form_and_see_it_in_the_list_and_on_the_topology()
    {
        var (pw, browser) = await Browser.LaunchAsync();
        using var _ = pw;
        await using var __ = browser;
        var page = await Browser.OpenAsync(browser, daemon.BaseUrl + "networks");

        await page.FillAsync("#net-name", "webnet");
        await page.FillAsync("#net-subnet", "10.77.0.0/24");
        await page.FillAsync("#net-labels", "team=web");
        await page.ClickAsync("#create-submit");
        await Assertions.Expect(page.Locator("#networks-table tr[data-network='webnet']")).ToBeVisibleAsync(Long);
        await Assertions.Expect(page.Locator("#networks-table tr[data-network='webnet']")).ToContainTextAsync("10.77.0.0/24");
        await Browser.ShotAsync(page, "networks-1280x800-light");

        // The daemon's own message for a bad subnet, as a plain API client gets it.
        using var http = new HttpClient();
        var direct = await http.PostAsJsonAsync(daemon.BaseUrl + "networks/create",
            new JsonObject { ["Name"] = "badnet", ["IPAM"] = new JsonObject { ["Config"] = new JsonArray(new JsonObject { ["Subnet"] = "10.0.0.0/33" }) } });
        Assert.False(direct.IsSuccessStatusCode);
        var message = (await direct.Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>();

        await page.FillAsync("#net-name", "badnet");
        await page.FillAsync("#net-subnet", "10.0.0.0/33");
        await page.ClickAsync("#create-submit");
        await Assertions.Expect(page.Locator("#create-error")).ToHaveTextAsync(message, new() { Timeout = 20_000 });
        await Browser.ShotAsync(page, "networks-bad-subnet-1280x800-light");

        await page.ClickAsync("a[href='topology']");
        await Assertions.Expect(page.Locator(".np-node[data-label='webnet']")).ToBeVisibleAsync(Long);
        await page.ClickAsync(".np-node-chip:text-is('webnet')");
        await Assertions.Expect(page.Locator("#selected-label")).ToHaveTextAsync("webnet");
        await Browser.ShotAsync(page, "topology-1280x800-light");
        await page.ClickAsync("#theme-toggle");
        await Browser.ShotAsync(page, "topology-1280x800-dark");

        var phone = await Browser.OpenAsync(browser, daemon.BaseUrl + "networks", 390, 844);
        await Assertions.Expect(phone.Locator("#networks-table tr[data-network='webnet']")).ToBeVisibleAsync(Long);
        await Browser.ShotAsync(phone, "networks-390x844-light");
        await phone.ClickAsync("#theme-toggle");
        await Browser.ShotAsync(phone, "networks-390x844-dark");
    }

    [Fact]
    public async Task A_container_appears_live_and_the_explainer_follows_connect()
    {
        daemon.DockerOk("network", "create", "--subnet", "10.78.0.0/24", "neta");
        daemon.DockerOk("network", "create", "--subnet", "10.79.0.0/24", "netb");
        var (pw, browser) = await Browser.LaunchAsync();
        using var _ = pw;
        await using var __ = browser;

        var page = await Browser.OpenAsync(browser, daemon.BaseUrl + "networks/neta");
        await Assertions.Expect(page.Locator(".np-empty")).ToContainTextAsync("No container is connected");
        daemon.DockerOk("run", "-d", "--name", "w1", "--network", "neta", "busybox", "sleep", "300");
        // No reload: the /events stream brings it in.
        await Assertions.Expect(page.Locator("#attached-table tr[data-container='w1']")).ToBeVisibleAsync(Long);
        await Assertions.Expect(page.Locator("#attached-table tr[data-container='w1']")).ToContainTextAsync("10.78.0.");
        daemon.DockerOk("run", "-d", "--name", "w2", "--network", "netb", "busybox", "sleep", "300");

        var reach = await Browser.OpenAsync(browser, daemon.BaseUrl + "reachability");
        await ExplainAsync(reach, "w1", "w2");
        await Assertions.Expect(reach.Locator("#verdict")).ToHaveTextAsync("blocked", new() { Timeout = 20_000 });
        await Assertions.Expect(reach.Locator("#deciding-rule")).ToBeVisibleAsync();
        Assert.Equal(1, await reach.Locator(".np-decides").CountAsync());
        Assert.False(string.IsNullOrWhiteSpace(await reach.Locator("#deciding-rule .np-rule-text").TextContentAsync()));
        await Browser.ShotAsync(reach, "reachability-blocked-1280x800-light");

        // Connect w1 to netb through the dashboard's own form.
        var netb = await Browser.OpenAsync(browser, daemon.BaseUrl + "networks/netb");
        await netb.SelectOptionAsync("#connect-container", new SelectOptionValue { Label = "w1" });
        await netb.ClickAsync("#connect-submit");
        await Assertions.Expect(netb.Locator("#attached-table tr[data-container='w1']")).ToBeVisibleAsync(Long);

        // The explainer page still open recomputes on the connect event; explaining again gives the same answer.
        await ExplainAsync(reach, "w1", "w2");
        await Assertions.Expect(reach.Locator("#verdict")).ToHaveTextAsync("allowed", new() { Timeout = 20_000 });
        await Assertions.Expect(reach.Locator("#deciding-rule")).ToBeVisibleAsync();
        await Browser.ShotAsync(reach, "reachability-allowed-1280x800-light");
        await reach.ClickAsync("#theme-toggle");
        await Browser.ShotAsync(reach, "reachability-allowed-1280x800-dark");

        var topo = await Browser.OpenAsync(browser, daemon.BaseUrl + "topology", 390, 844, dark: true);
        await Assertions.Expect(topo.Locator(".np-node[data-label='w1']")).ToBeVisibleAsync(Long);
        await Browser.ShotAsync(topo, "topology-390x844-dark");
        foreach (var (path, name) in new[] { ("", "overview"), ("ipam", "ipam"), ("firewall", "firewall"), ("containers", "containers") })
        {
            var p = await Browser.OpenAsync(browser, daemon.BaseUrl + path);
            await Assertions.Expect(p.Locator(".np-loading")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
            await Browser.ShotAsync(p, name + "-1280x800-light");
            var small = await Browser.OpenAsync(browser, daemon.BaseUrl + path, 390, 844, dark: true);
            await Assertions.Expect(small.Locator(".np-loading")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
            await Browser.ShotAsync(small, name + "-390x844-dark");
        }
    }

    private static async Task ExplainAsync(IPage page, string from, string to)
    {
        await Assertions.Expect(page.Locator($"#reach-from option[value='{to}']")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.SelectOptionAsync("#reach-from", from);
        await page.SelectOptionAsync("#reach-to", to);
        await page.ClickAsync("#reach-submit");
    }
}
