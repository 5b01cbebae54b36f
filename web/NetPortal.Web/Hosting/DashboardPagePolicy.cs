using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace NetPortal.Web.Hosting;

/// <summary>
/// Dashboard pages share paths with Docker's routes (GET /networks, /networks/{id}): a page matches only a browser
/// navigation (GET or HEAD accepting text/html) and then wins; any other request goes to Docker's route or to its 404.
/// </summary>
internal sealed class DashboardPagePolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => endpoints.Any(IsPage);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var navigation = IsNavigation(httpContext.Request);
        var pageValid = false;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!IsPage(candidates[i].Endpoint)) continue;
            if (!navigation) candidates.SetValidity(i, false);
            else if (candidates.IsValidCandidate(i)) pageValid = true;
        }
        if (pageValid)
            for (var i = 0; i < candidates.Count; i++)
                if (!IsPage(candidates[i].Endpoint)) candidates.SetValidity(i, false);
        return Task.CompletedTask;
    }

    internal static bool IsNavigation(HttpRequest r) =>
        (HttpMethods.IsGet(r.Method) || HttpMethods.IsHead(r.Method))
        && r.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    private static bool IsPage(Endpoint e) => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null;
}
