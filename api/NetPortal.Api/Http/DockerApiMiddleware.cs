using System.Text.RegularExpressions;

namespace NetPortal.Api.Http;

/// <summary>
/// dockerd's router behaviour before any handler: strips and checks the /vX.Y prefix, answers OPTIONS,
/// adds the Api-Version/Ostype/Server headers, and sends JSON as exactly "application/json" (the Go client compares the string).
/// </summary>
public static partial class DockerApiMiddleware
{
    [GeneratedRegex(@"^/v([0-9.]+)(?=/|$)")]
    private static partial Regex VersionPrefix();

    public static IApplicationBuilder UseDockerApi(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        ctx.Response.OnStarting(() =>
        {
            var ct = ctx.Response.ContentType;
            if (ct is not null && ct.StartsWith("application/json;", StringComparison.Ordinal)) ctx.Response.ContentType = "application/json";
            return Task.CompletedTask;
        });

        var path = ctx.Request.Path.Value ?? "/";
        var m = VersionPrefix().Match(path);
        if (m.Success)
        {
            var text = m.Groups[1].Value;
            ctx.Request.Path = path.Length > m.Length ? path[m.Length..] : "/";
            if (!ApiVersions.TryParse(text, out var v))
            {
                await WriteError(ctx, StatusCodes.Status400BadRequest, $"invalid API version: {text}");
                return;
            }
            var max = Version.Parse(ApiVersions.Max);
            var min = Version.Parse(ApiVersions.Min);
            if (v > max)
            {
                AddHeaders(ctx);
                await WriteError(ctx, StatusCodes.Status400BadRequest, $"client version {text} is too new. Maximum supported API version is {ApiVersions.Max}");
                return;
            }
            if (v < min)
            {
                AddHeaders(ctx);
                var message = $"client version {text} is too old. Minimum supported API version is {ApiVersions.Min}, please upgrade your client to a newer version";
                if (v < new Version(1, 24))
                {
                    // dockerd answers versions older than 1.24 in plain text, before its JSON error writer.
                    ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                    ctx.Response.ContentType = "text/plain; charset=utf-8";
                    await ctx.Response.WriteAsync(message + "\n");
                    return;
                }
                await WriteError(ctx, StatusCodes.Status400BadRequest, message);
                return;
            }
            ApiVersions.Set(ctx, v);
        }

        AddHeaders(ctx);
        if (HttpMethods.IsOptions(ctx.Request.Method))
        {
            ctx.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }
        await next(ctx);
    });

    /// <summary>Api-Version, Docker-Experimental, Ostype and Server, as every routed dockerd response has them.</summary>
    internal static void AddHeaders(HttpContext ctx)
    {
        var h = ctx.Response.Headers;
        h["Api-Version"] = ApiVersions.Max;
        h["Docker-Experimental"] = "false";
        h["Ostype"] = "linux";
        h["Server"] = $"NetPortal/{ApiVersions.DaemonVersion} (linux)";
    }

    public static Task WriteError(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new Contracts.ErrorResponse(message), DockerJson.Options) + "\n");
    }
}
