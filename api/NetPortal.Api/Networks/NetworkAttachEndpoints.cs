using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NetPortal.Api.Containers;
using NetPortal.Api.Contracts;
using NetPortal.Api.Http;
using NetPortal.Api.OpenApi;
using NetPortal.Core.Containers;

namespace NetPortal.Api.Networks;

/// <summary>POST /networks/{id}/connect and /disconnect: 200 with an empty body (Content-Length: 0), as dockerd.</summary>
public static class NetworkAttachEndpoints
{
    public static IEndpointRouteBuilder MapNetworkAttachments(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/networks").WithTags("Network");
        g.MapPost("/{id}/connect", Connect).WithName("NetworkConnect")
            .WithMetadata(new JsonRequestBody(typeof(NetworkConnectRequest)))
            .Produces<ErrorResponse>(400).Produces<ErrorResponse>(403).Produces<ErrorResponse>(404).Produces<ErrorResponse>(500);
        g.MapPost("/{id}/disconnect", Disconnect).WithName("NetworkDisconnect")
            .WithMetadata(new JsonRequestBody(typeof(NetworkDisconnectRequest)))
            .Produces<ErrorResponse>(400).Produces<ErrorResponse>(403).Produces<ErrorResponse>(404).Produces<ErrorResponse>(500);
        return app;
    }

    /// <summary>POST /networks/{id}/connect</summary>
    public static async Task<Ok> Connect(HttpContext ctx, [FromServices] ContainerService containers, string id, CancellationToken ct)
    {
        var request = await DockerJson.ReadAsync<NetworkConnectRequest>(ctx.Request, ct);
        await containers.ConnectAsync(id, request.Container ?? "", request.EndpointConfig?.ToConnectConfig(ApiVersions.Of(ctx)), ct);
        ctx.Response.ContentLength = 0;
        return TypedResults.Ok();
    }

    /// <summary>POST /networks/{id}/disconnect</summary>
    public static async Task<Ok> Disconnect(HttpContext ctx, [FromServices] ContainerService containers, string id, CancellationToken ct)
    {
        var request = await DockerJson.ReadAsync<NetworkDisconnectRequest>(ctx.Request, ct);
        await containers.DisconnectAsync(id, request.Container ?? "", request.Force, ct);
        ctx.Response.ContentLength = 0;
        return TypedResults.Ok();
    }
}
