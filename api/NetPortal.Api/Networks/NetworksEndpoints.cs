using Microsoft.AspNetCore.Http.HttpResults;
using NetPortal.Api.Contracts;
using NetPortal.Api.Http;
using NetPortal.Api.OpenApi;
using NetPortal.Core.Errors;
using NetPortal.Core.Filters;
using NetPortal.Core.Networks;

namespace NetPortal.Api.Networks;

/// <summary>Docker's /networks routes.</summary>
public static class NetworksEndpoints
{
    public static IEndpointRouteBuilder MapNetworks(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/networks").WithTags("Network");
        g.MapGet("", List).WithName("NetworkList").Produces<List<NetworkResource>>(StatusCodes.Status200OK, "application/json");
        g.MapGet("/{**id:minlength(1)}", Inspect).WithName("NetworkInspect")
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound).Produces<ErrorResponse>(StatusCodes.Status400BadRequest);
        g.MapPost("/create", Create).WithName("NetworkCreate")
            .WithMetadata(new JsonRequestBody(typeof(NetworkCreateRequest)))
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest).Produces<ErrorResponse>(StatusCodes.Status403Forbidden)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound).Produces<ErrorResponse>(StatusCodes.Status409Conflict)
            .Produces<ErrorResponse>(StatusCodes.Status500InternalServerError);
        g.MapDelete("/{**id:minlength(1)}", Delete).WithName("NetworkDelete")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ErrorResponse>(StatusCodes.Status403Forbidden).Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status500InternalServerError);
        g.MapPost("/prune", Prune).WithName("NetworkPrune")
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest).Produces<ErrorResponse>(StatusCodes.Status409Conflict)
            .Produces<ErrorResponse>(StatusCodes.Status500InternalServerError);
        return app;
    }

    /// <summary>GET /networks: each item's JSON is cached per network record (see NetworkListJson).</summary>
    public static IResult List(HttpContext ctx, NetworkService networks, NetworkListJson json, string? filters = null) =>
        json.Result(networks.List(FilterParser.Parse(filters)), ApiVersions.Of(ctx));

    /// <summary>GET /networks/{id}</summary>
    public static Ok<NetworkResource> Inspect(HttpContext ctx, NetworkService networks, string id, string? verbose = null, string? scope = null)
    {
        if (verbose is not null && !GoBool.TryParse(verbose, out _))
            throw NetPortalException.InvalidParameter($"invalid value for verbose: {verbose}: {GoBool.SyntaxError(verbose)}");
        var n = networks.Inspect(id, scope);
        return TypedResults.Ok(n.ToResource(ApiVersions.Of(ctx), networks.Endpoints));
    }

    /// <summary>POST /networks/create</summary>
    public static async Task<Created<NetworkCreateResponse>> Create(HttpContext ctx, NetworkService networks, CancellationToken ct)
    {
        var request = await DockerJson.ReadAsync<NetworkCreateRequest>(ctx.Request, ct);
        var network = await networks.CreateAsync(request.ToSpec(ApiVersions.Of(ctx)), ct);
        return TypedResults.Created((string?)null, new NetworkCreateResponse(network.Id, Warning: ""));
    }

    /// <summary>DELETE /networks/{id}</summary>
    public static async Task<NoContent> Delete(NetworkService networks, string id, CancellationToken ct)
    {
        await networks.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }

    /// <summary>POST /networks/prune</summary>
    public static async Task<Ok<NetworkPruneResponse>> Prune(NetworkService networks, CancellationToken ct, string? filters = null)
    {
        var deleted = await networks.PruneAsync(FilterParser.Parse(filters), ct);
        return TypedResults.Ok(new NetworkPruneResponse(deleted?.ToList()));
    }
}
