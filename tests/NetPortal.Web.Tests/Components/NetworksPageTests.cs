using System.Net;
using Bunit;
using NetPortal.Web.Components.Pages;
using NetPortal.Web.Services;
using NetPortal.Web.Tests.Fakes;

namespace NetPortal.Web.Tests.Components;

public sealed class NetworksPageTests
{
    [Fact]
    public async Task Shows_loading_until_the_api_answers_then_the_list()
    {
        await using var ctx = new DashboardContext();
        ctx.Api.Gate = new TaskCompletionSource();
        ctx.Api.Networks.Add(FakeApiClient.Network("front", "10.1.0.0/24"));

        var cut = ctx.RenderPage<Networks>();
        Assert.Contains("Loading", cut.Find(".np-loading").TextContent, StringComparison.Ordinal);

        ctx.Api.Gate.SetResult();
        cut.WaitForAssertion(() => Assert.Equal("front", cut.Find("#networks-table tbody tr").GetAttribute("data-network")));
        Assert.Contains("10.1.0.0/24", cut.Find("#networks-table").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shows_the_empty_state_without_networks()
    {
        await using var ctx = new DashboardContext();
        var cut = ctx.RenderPage<Networks>();
        cut.WaitForAssertion(() => Assert.Equal("No networks yet.", cut.Find(".np-empty").TextContent));
    }

    [Fact]
    public async Task Shows_the_api_message_when_listing_fails()
    {
        await using var ctx = new DashboardContext();
        ctx.Api.Failure = new ApiException(HttpStatusCode.InternalServerError, "database is locked");
        var cut = ctx.RenderPage<Networks>();
        cut.WaitForAssertion(() => Assert.Equal("database is locked", cut.Find(".np-error").TextContent.Trim()));
    }

    [Fact]
    public async Task Filter_narrows_the_list()
    {
        await using var ctx = new DashboardContext();
        ctx.Api.Networks.AddRange([FakeApiClient.Network("front"), FakeApiClient.Network("back")]);
        var cut = ctx.RenderPage<Networks>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("#networks-table tbody tr").Count));

        cut.Find("#filter-name").Input("fro");
        Assert.Equal(["front"], cut.FindAll("#networks-table tbody tr").Select(r => r.GetAttribute("data-network")));
    }

    [Fact]
    public async Task Create_form_shows_the_api_message_on_failure()
    {
        await using var ctx = new DashboardContext();
        ctx.Api.CreateFailure = new ApiException(HttpStatusCode.BadRequest, "invalid subnet 10.0.0.0/33: invalid CIDR address");
        var cut = ctx.RenderPage<Networks>();

        cut.Find("#net-name").Input("bad");
        cut.Find("#net-subnet").Input("10.0.0.0/33");
        cut.Find("form.np-form").Submit();

        cut.WaitForAssertion(() => Assert.Equal("invalid subnet 10.0.0.0/33: invalid CIDR address", cut.Find("#create-error").TextContent.Trim()));
    }

    [Fact]
    public async Task Create_form_sends_the_fields_and_the_list_shows_the_new_network()
    {
        await using var ctx = new DashboardContext();
        var cut = ctx.RenderPage<Networks>();

        cut.Find("#net-name").Input("app");
        cut.Find("#net-subnet").Input("10.20.0.0/24");
        cut.Find("#net-gateway").Input("10.20.0.1");
        cut.Find("#net-labels").Input("team=web, tier=front");
        cut.Find("form.np-form").Submit();

        cut.WaitForAssertion(() => Assert.Equal("app", cut.Find("#networks-table tbody tr").GetAttribute("data-network")));
        var spec = Assert.Single(ctx.Api.Created);
        Assert.Equal(("10.20.0.0/24", "10.20.0.1"), (spec.Subnet, spec.Gateway));
        Assert.Equal(new Dictionary<string, string> { ["team"] = "web", ["tier"] = "front" }, spec.ParseLabels());
    }

    [Fact]
    public async Task Read_only_viewers_get_no_create_or_delete()
    {
        await using var ctx = new DashboardContext();
        ctx.Api.Networks.Add(FakeApiClient.Network("front"));
        var cut = ctx.RenderPage<Networks>(canWrite: false);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("#networks-table tbody tr")));
        Assert.True(cut.Find("#create-submit").HasAttribute("disabled"));
        Assert.DoesNotContain("Delete", cut.Find("#networks-table").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_network_event_updates_the_list_without_reload()
    {
        await using var ctx = new DashboardContext();
        var cut = ctx.RenderPage<Networks>();
        cut.WaitForAssertion(() => cut.Find(".np-empty"));

        ctx.Api.Networks.Add(FakeApiClient.Network("late"));
        ctx.Events.Raise("network", "create", "late");

        cut.WaitForAssertion(() => Assert.Equal("late", cut.Find("#networks-table tbody tr").GetAttribute("data-network")));
    }
}
