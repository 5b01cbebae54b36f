using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NetPortal.Api.Contracts;
using NetPortal.Api.Http;
using NetPortal.Api.OpenApi;
using NetPortal.Core.Containers;

namespace NetPortal.Api.Exec;

/// <summary>docker exec: create, start (hijacked stream), inspect.</summary>
public static class ExecEndpoints
{
    public static IEndpointRouteBuilder MapExec(this IEndpointRouteBuilder app)
    {
        app.MapPost("/containers/{id}/exec", Create).WithName("ContainerExec").WithTags("Exec")
            .WithMetadata(new JsonRequestBody(typeof(ExecConfig)))
            .Produces<ErrorResponse>(400).Produces<ErrorResponse>(404).Produces<ErrorResponse>(409).Produces<ErrorResponse>(500);
        app.MapPost("/exec/{id}/start", Start).WithName("ExecStart").WithTags("Exec")
            .WithMetadata(new JsonRequestBody(typeof(ExecStartConfig)))
            .Produces(StatusCodes.Status101SwitchingProtocols, contentType: ExecStreaming.Multiplexed, additionalContentTypes: ExecStreaming.Raw)
            .Produces(StatusCodes.Status200OK, contentType: ExecStreaming.Raw)
            .Produces<ErrorResponse>(400).Produces<ErrorResponse>(404).Produces<ErrorResponse>(409).Produces<ErrorResponse>(500);
        app.MapGet("/exec/{id}/json", Inspect).WithName("ExecInspect").WithTags("Exec")
            .Produces<ErrorResponse>(404).Produces<ErrorResponse>(500);
        return app;
    }

    /// <summary>POST /containers/{id}/exec</summary>
    public static async Task<Created<IdResponse>> Create(HttpContext ctx, [FromServices] ContainerService containers, string id, CancellationToken ct)
    {
        var template = (await DockerJson.ReadAsync<ExecConfig>(ctx.Request, ct)).ToTemplate();
        var exec = containers.CreateExec(id, template);
        return TypedResults.Created((string?)null, new IdResponse(exec.Id));
    }

    /// <summary>POST /exec/{id}/start: 101 and the hijacked stream, 200 and the raw stream without Upgrade, 200 empty with Detach.</summary>
    public static Task Start(HttpContext ctx, [FromServices] ContainerService containers, string id) =>
        ExecStreaming.StartAsync(ctx, containers, id);

    /// <summary>GET /exec/{id}/json</summary>
    public static Ok<ExecInspectResponse> Inspect([FromServices] ContainerService containers, string id) =>
        TypedResults.Ok(containers.InspectExec(id).ToInspect());
}
