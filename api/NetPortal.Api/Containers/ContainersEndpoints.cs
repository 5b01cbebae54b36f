using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NetPortal.Api.Contracts;
using NetPortal.Api.Http;
using NetPortal.Api.OpenApi;
using NetPortal.Core.Containers;
using NetPortal.Core.Errors;

namespace NetPortal.Api.Containers;

/// <summary>Docker's /containers routes (the subset network work needs). ContainerService comes from DI at request time.</summary>
public static class ContainersEndpoints
{
    public static IEndpointRouteBuilder MapContainers(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/containers").WithTags("Container");
        g.MapPost("/create", Create).WithName("ContainerCreate")
            .WithMetadata(new JsonRequestBody(typeof(ContainerCreateRequest)))
            .Produces<ErrorResponse>(400).Produces<ErrorResponse>(404).Produces<ErrorResponse>(409).Produces<ErrorResponse>(500);
        g.MapGet("/json", List).WithName("ContainerList").Produces<ErrorResponse>(400).Produces<ErrorResponse>(500);
        g.MapGet("/{id}/json", Inspect).WithName("ContainerInspect").Produces<ErrorResponse>(404).Produces<ErrorResponse>(500);
        g.MapPost("/{id}/start", Start).WithName("ContainerStart").Produces(304).Produces<ErrorResponse>(404).Produces<ErrorResponse>(500);
        g.MapPost("/{id}/stop", Stop).WithName("ContainerStop").Produces(304).Produces<ErrorResponse>(404).Produces<ErrorResponse>(500);
        g.MapPost("/{id}/restart", Restart).WithName("ContainerRestart").Produces<ErrorResponse>(404).Produces<ErrorResponse>(500);
        g.MapPost("/{id}/kill", Kill).WithName("ContainerKill")
            .Produces<ErrorResponse>(404).Produces<ErrorResponse>(409).Produces<ErrorResponse>(500);
        g.MapPost("/{id}/wait", Wait).WithName("ContainerWait")
            .Produces<ContainerWaitResponse>(200, "application/json").Produces<ErrorResponse>(400).Produces<ErrorResponse>(404).Produces<ErrorResponse>(500);
        g.MapDelete("/{id}", Delete).WithName("ContainerDelete")
            .Produces<ErrorResponse>(400).Produces<ErrorResponse>(404).Produces<ErrorResponse>(409).Produces<ErrorResponse>(500);
        return app;
    }

    /// <summary>POST /containers/create?name=</summary>
    public static async Task<Created<ContainerCreateResponse>> Create(HttpContext ctx, [FromServices] ContainerService containers, CancellationToken ct, string? name = null, string? platform = null)
    {
        var v = ApiVersions.Of(ctx);
        var (spec, warnings) = (await DockerJson.ReadAsync<ContainerCreateRequest>(ctx.Request, ct)).ToSpec(name, v);
        var (container, more) = await containers.CreateAsync(spec, v, ct);
        return TypedResults.Created((string?)null, new ContainerCreateResponse(container.Id, [.. warnings, .. more]));
    }

    /// <summary>GET /containers/json</summary>
    public static Ok<List<ContainerSummary>> List([FromServices] ContainerService containers, TimeProvider time,
        string? all = null, string? limit = null, string? size = null, string? filters = null)
    {
        var list = containers.List(QueryValues.Bool(all), FilterParser.Parse(filters), QueryValues.Int(limit) ?? -1);
        var now = time.GetUtcNow();
        return TypedResults.Ok(list.Select(c => c.ToSummary(now)).ToList());
    }

    /// <summary>GET /containers/{id}/json</summary>
    public static Ok<ContainerInspectResponse> Inspect(HttpContext ctx, [FromServices] ContainerService containers, string id, string? size = null) =>
        TypedResults.Ok(containers.Inspect(id).ToInspect(ApiVersions.Of(ctx)));

    /// <summary>POST /containers/{id}/start: 204, or 304 when already running.</summary>
    public static async Task<Results<NoContent, StatusCodeHttpResult>> Start([FromServices] ContainerService containers, string id, CancellationToken ct, string? detachKeys = null) =>
        await containers.StartAsync(id, ct) ? TypedResults.NoContent() : TypedResults.StatusCode(StatusCodes.Status304NotModified);

    /// <summary>POST /containers/{id}/stop?t=&amp;signal=: 204, or 304 when not running.</summary>
    public static async Task<Results<NoContent, StatusCodeHttpResult>> Stop([FromServices] ContainerService containers, string id, CancellationToken ct, string? t = null, string? signal = null) =>
        await containers.StopAsync(id, QueryValues.Int(t), Empty(signal), ct) ? TypedResults.NoContent() : TypedResults.StatusCode(StatusCodes.Status304NotModified);

    /// <summary>POST /containers/{id}/restart?t=&amp;signal=</summary>
    public static async Task<NoContent> Restart([FromServices] ContainerService containers, string id, CancellationToken ct, string? t = null, string? signal = null)
    {
        await containers.RestartAsync(id, QueryValues.Int(t), Empty(signal), ct);
        return TypedResults.NoContent();
    }

    /// <summary>POST /containers/{id}/kill?signal=</summary>
    public static async Task<NoContent> Kill([FromServices] ContainerService containers, string id, CancellationToken ct, string? signal = null)
    {
        await containers.KillAsync(id, Empty(signal), ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// POST /containers/{id}/wait?condition=. Like dockerd, the 200 header goes out as soon as the wait is registered
    /// (a client waiting for next-exit then knows it may start the container); a later failure becomes Error.
    /// </summary>
    public static async Task Wait(HttpContext ctx, [FromServices] ContainerService containers, string id, string? condition = null)
    {
        var wait = containers.WaitAsync(containers.Inspect(id).Id, WaitCondition(condition), ctx.RequestAborted);
        ctx.Response.ContentType = "application/json";
        if (!wait.IsCompleted)
        {
            // The Go client's ContainerWait blocks until the response head arrives (docker run sends it before start).
            await ctx.Response.StartAsync(ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        }
        ContainerWaitResponse body;
        try
        {
            body = new ContainerWaitResponse(null, await wait);
        }
        catch (NetPortalException e) when (ctx.Response.HasStarted)
        {
            body = new ContainerWaitResponse(new ContainerWaitExitError(e.Message), -1);
        }
        await ctx.Response.WriteAsync(JsonSerializer.Serialize(body, DockerJson.Options) + "\n", ctx.RequestAborted);
    }

    /// <summary>DELETE /containers/{id}?force=&amp;v=&amp;link=</summary>
    public static async Task<NoContent> Delete([FromServices] ContainerService containers, string id, CancellationToken ct, string? force = null, string? v = null, string? link = null)
    {
        if (QueryValues.Bool(link)) throw NetPortalException.NotImplemented("removing legacy links is not supported");
        await containers.RemoveAsync(id, QueryValues.Bool(force), ct);
        return TypedResults.NoContent();
    }

    private static string? WaitCondition(string? condition) => condition switch
    {
        null or "" => null,
        "not-running" or "next-exit" or "removed" => condition,
        _ => throw NetPortalException.InvalidParameter($"invalid condition: \"{condition}\""),
    };

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
