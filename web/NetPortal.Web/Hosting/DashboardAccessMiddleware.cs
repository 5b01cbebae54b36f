using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace NetPortal.Web.Hosting;

/// <summary>
/// Loopback and unix-socket clients are trusted, as dockerd trusts its socket. Any other client needs a token:
/// the read token allows GET and HEAD, the admin token everything. Browsers may carry the token in a SameSite=Strict
/// cookie for the dashboard's own paths only; API routes need the Authorization header, which a cross-site page
/// cannot add without CORS, so a forged cross-site POST never carries a credential.
/// </summary>
internal sealed class DashboardAccessMiddleware(RequestDelegate next, IOptions<DashboardOptions> options)
{
    public const string RoleKey = "NetPortal.Dashboard.Role";
    public const string Admin = "admin";
    public const string Read = "read";
    private const string Cookie = "netportal_token";

    public async Task InvokeAsync(HttpContext ctx)
    {
        if (IsLocal(ctx))
        {
            ctx.Items[RoleKey] = Admin;
            await next(ctx);
            return;
        }
        var o = options.Value;
        var dashboard = IsDashboardRequest(ctx.Request);
        var api = ctx.Request.Path.StartsWithSegments("/netportal");
        if (o.ReadToken is null && o.AdminToken is null)
        {
            // Without tokens only Docker's own routes are served off loopback, exactly as before the dashboard existed.
            if (dashboard || api)
                await Deny(ctx, 403, "the dashboard and /netportal need \"tokens\" in the config when the daemon is bound to a non-loopback address");
            else
                await next(ctx);
            return;
        }
        if (dashboard && ctx.Request.Headers.Origin is { Count: > 0 } origin && !SameOrigin(origin.ToString(), ctx.Request))
        {
            await Deny(ctx, 403, "cross-site request refused");
            return;
        }

        var role = RoleOf(BearerToken(ctx.Request), o);
        if (role is null && dashboard) role = RoleOf(ctx.Request.Cookies[Cookie], o);
        if (role is null && DashboardPagePolicy.IsNavigation(ctx.Request) && ctx.Request.Query["token"].ToString() is { Length: > 0 } given && RoleOf(given, o) is not null)
        {
            ctx.Response.Cookies.Append(Cookie, given, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = ctx.Request.IsHttps, Path = "/" });
            ctx.Response.Redirect(ctx.Request.PathBase + ctx.Request.Path);
            return;
        }
        if (role is null)
        {
            if (DashboardPagePolicy.IsNavigation(ctx.Request)) await LoginPage(ctx);
            else await Deny(ctx, 401, "authentication required: send Authorization: Bearer <token>");
            return;
        }
        var safe = HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method);
        // The circuit's own SignalR POSTs are not state changes of the daemon; pages check the role before acting.
        if (role == Read && !safe && !ctx.Request.Path.StartsWithSegments("/_blazor"))
        {
            await Deny(ctx, 403, "the read token allows GET requests only");
            return;
        }
        ctx.Items[RoleKey] = role;
        await next(ctx);
    }

    internal static bool IsLocal(HttpContext ctx) =>
        ctx.Connection.LocalIpAddress is null || System.Net.IPAddress.IsLoopback(ctx.Connection.LocalIpAddress);

    internal static bool IsDashboardRequest(HttpRequest r) =>
        r.Path.StartsWithSegments("/_framework") || r.Path.StartsWithSegments("/_blazor") || r.Path.StartsWithSegments("/_content")
        || DashboardPagePolicy.IsNavigation(r);

    private static string? BearerToken(HttpRequest r)
    {
        var h = r.Headers.Authorization.ToString();
        return h.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? h["Bearer ".Length..].Trim() : null;
    }

    private static string? RoleOf(string? token, DashboardOptions o)
    {
        if (string.IsNullOrEmpty(token)) return null;
        if (Matches(token, o.AdminToken)) return Admin;
        if (Matches(token, o.ReadToken)) return Read;
        return null;
    }

    private static bool Matches(string given, string? expected) =>
        expected is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static bool SameOrigin(string origin, HttpRequest r) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var u) && string.Equals(u.Authority, r.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static Task Deny(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message }) + "\n");
    }

    private static Task LoginPage(HttpContext ctx)
    {
        ctx.Response.StatusCode = 401;
        ctx.Response.ContentType = "text/html; charset=utf-8";
        var action = HtmlEncoder.Default.Encode(ctx.Request.PathBase + ctx.Request.Path);
        return ctx.Response.WriteAsync($"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>NetPortal — token</title></head>
            <body style="font-family:sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem">
            <h1>NetPortal</h1><p>This daemon is reachable from the network: enter a read or admin token from its config.</p>
            <form method="get" action="{action}"><label for="token">Token</label><br>
            <input id="token" name="token" type="password" autocomplete="current-password" required autofocus style="width:100%">
            <p><button type="submit">Open the dashboard</button></p></form></body></html>
            """);
    }
}
