using Microsoft.AspNetCore.Diagnostics;
using NetPortal.Api.Http;
using NetPortal.Core.Errors;

namespace NetPortal.Api.Errors;

/// <summary>The one place exceptions become Docker's {"message"} bodies with errdefs' status codes.</summary>
public sealed class DockerExceptionHandler(ILogger<DockerExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext ctx, Exception exception, CancellationToken ct)
    {
        var (status, message) = exception switch
        {
            NetPortalException e => (StatusOf(e.Kind), e.Message),
            BadHttpRequestException e => (e.StatusCode, BadRequestMessage(e)),
            OperationCanceledException when ctx.RequestAborted.IsCancellationRequested => (499, "request cancelled"),
            _ => (StatusCodes.Status500InternalServerError, exception.Message),
        };
        if (status >= 500) log.LogError(exception, "{Method} {Path} failed", ctx.Request.Method, ctx.Request.Path);
        else log.LogDebug("{Method} {Path}: {Status} {Message}", ctx.Request.Method, ctx.Request.Path, status, message);
        if (ctx.Response.HasStarted) return true;
        // The exception handler middleware cleared the response, headers included; handler errors are routed responses.
        DockerApiMiddleware.AddHeaders(ctx);
        await DockerApiMiddleware.WriteError(ctx, status, message);
        return true;
    }

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidParameter => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.NotImplemented => StatusCodes.Status501NotImplemented,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string BadRequestMessage(BadHttpRequestException e) =>
        e.InnerException is System.Text.Json.JsonException j ? "invalid JSON: " + j.Message : e.Message;
}
