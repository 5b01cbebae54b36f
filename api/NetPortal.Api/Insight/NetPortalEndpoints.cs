using Microsoft.AspNetCore.Http.HttpResults;
using NetPortal.Api.Contracts;
using NetPortal.Core.Insight;

namespace NetPortal.Api.Insight;

/// <summary>NetPortal's own /netportal routes (docs/netportal-api.md): topology, IPAM, firewall, reachability, drift.</summary>
public static class NetPortalEndpoints
{
    public static IEndpointRouteBuilder MapNetPortal(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/netportal").WithTags("NetPortal");
        g.MapGet("/topology", Topology).WithName("NetPortalTopology")
            .Produces<ErrorResponse>(StatusCodes.Status500InternalServerError);
        g.MapGet("/ipam", Ipam).WithName("NetPortalIpam")
            .Produces<ErrorResponse>(StatusCodes.Status500InternalServerError);
        g.MapGet("/firewall", Firewall).WithName("NetPortalFirewall")
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest).Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status500InternalServerError);
        g.MapGet("/reachability", Reachability).WithName("NetPortalReachability")
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest).Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status500InternalServerError);
        g.MapGet("/drift", Drift).WithName("NetPortalDrift")
            .Produces<ErrorResponse>(StatusCodes.Status500InternalServerError);
        g.MapPost("/drift/repair", Repair).WithName("NetPortalRepair")
            .Produces<ErrorResponse>(StatusCodes.Status500InternalServerError);
        return app;
    }

    /// <summary>GET /netportal/topology</summary>
    public static Ok<Topology> Topology(TopologyService topology) => TypedResults.Ok(topology.Build());

    /// <summary>GET /netportal/ipam</summary>
    public static Ok<List<IpamNetworkReport>> Ipam(IpamReport ipam) => TypedResults.Ok(ipam.Build().ToList());

    /// <summary>GET /netportal/firewall?network=&amp;container=</summary>
    public static Ok<FirewallRuleset> Firewall(FirewallReport firewall, string? network = null, string? container = null) =>
        TypedResults.Ok(firewall.Build(network, container));

    /// <summary>GET /netportal/reachability?from=&amp;to=</summary>
    public static Ok<ReachabilityResult> Reachability(TopologyService topology, string? from = null, string? to = null) =>
        TypedResults.Ok(topology.Explain(from ?? "", to ?? ""));

    /// <summary>GET /netportal/drift</summary>
    public static Ok<DriftReport> Drift(DriftDetector drift) => TypedResults.Ok(drift.Detect());

    /// <summary>POST /netportal/drift/repair</summary>
    public static async Task<Ok<RepairReport>> Repair(DriftDetector drift, CancellationToken ct) =>
        TypedResults.Ok(await drift.RepairAsync(ct));
}
