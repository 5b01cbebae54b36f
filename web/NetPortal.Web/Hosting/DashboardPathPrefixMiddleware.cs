using Microsoft.AspNetCore.Http;

namespace NetPortal.Web.Hosting;

/// <summary>
/// With a prefix other than "/", moves it to PathBase for dashboard requests only (navigations and Blazor's own
/// paths), so Blazor routes and links work while every other path under the prefix keeps Docker's 404.
/// </summary>
internal sealed class DashboardPathPrefixMiddleware(RequestDelegate next, PathString prefix)
{
    public Task InvokeAsync(HttpContext ctx)
    {
        if (ctx.Request.Path.StartsWithSegments(prefix, out var rest))
        {
            var original = ctx.Request.Path;
            ctx.Request.Path = rest.HasValue ? rest : "/";
            if (DashboardAccessMiddleware.IsDashboardRequest(ctx.Request))
            {
                ctx.Request.PathBase = ctx.Request.PathBase.Add(prefix);
                return next(ctx);
            }
            ctx.Request.Path = original;
        }
        return next(ctx);
    }
}
