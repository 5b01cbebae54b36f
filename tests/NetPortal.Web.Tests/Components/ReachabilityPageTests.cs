using System.Net;
using Bunit;
using NetPortal.Web.Components.Pages;
using NetPortal.Web.Services;
using NetPortal.Web.Services.Models;
using NetPortal.Web.Tests.Fakes;

namespace NetPortal.Web.Tests.Components;

public sealed class ReachabilityPageTests
{
    private static ReachabilityResult Blocked(string from, string to) => new(from, to, "blocked",
    [
        new ReachabilityStep("route", null, null, $"{from}: 10.2.0.5 via 10.1.1.1 dev eth0 (default route)", false),
        new ReachabilityStep("rule", "filter", "DOCKER-ISOLATION-STAGE-2", "-A DOCKER-ISOLATION-STAGE-2 -o br-1 -j DROP", true),
    ], $"{from} and {to} are on different bridge networks");

    [Fact]
    public async Task Shows_the_verdict_and_highlights_the_deciding_rule()
    {
        await using var ctx = new DashboardContext();
        ctx.Api.Containers.AddRange([FakeApiClient.Container("c1"), FakeApiClient.Container("c2")]);
        ctx.Api.Explain = Blocked;
        var cut = ctx.RenderPage<Reachability>();
        cut.WaitForAssertion(() => cut.Find("#reach-from"));

        cut.Find("#reach-from").Change("c1");
        cut.Find("#reach-to").Change("c2");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Equal("blocked", cut.Find("#verdict").TextContent));
        var deciding = cut.Find("#deciding-rule");
        Assert.Contains("np-decides", deciding.ClassList);
        Assert.Contains("-A DOCKER-ISOLATION-STAGE-2 -o br-1 -j DROP", deciding.TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll(".np-decides"));
        Assert.Contains("different bridge networks", cut.Find("#verdict-summary").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shows_the_api_message_when_the_explainer_refuses()
    {
        await using var ctx = new DashboardContext();
        ctx.Api.Containers.Add(FakeApiClient.Container("c1"));
        ctx.Api.Explain = (_, _) => throw new ApiException(HttpStatusCode.NotFound, "no such container: ghost");
        var cut = ctx.RenderPage<Reachability>();
        cut.WaitForAssertion(() => cut.Find("#reach-from"));

        cut.Find("#reach-from").Change("c1");
        cut.Find("#reach-to-custom").Change("ghost");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Equal("no such container: ghost", cut.Find("#reach-error").TextContent.Trim()));
    }

    [Fact]
    public async Task Empty_without_containers()
    {
        await using var ctx = new DashboardContext();
        var cut = ctx.RenderPage<Reachability>();
        cut.WaitForAssertion(() => Assert.Contains("No containers", cut.Find(".np-empty").TextContent, StringComparison.Ordinal));
    }
}
