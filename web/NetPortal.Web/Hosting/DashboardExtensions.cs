using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using NetPortal.Web.Components;
using NetPortal.Web.Services;

namespace NetPortal.Web.Hosting;

/// <summary>Hosting the dashboard inside the daemon: services, the middleware before routing, the endpoints after it.</summary>
public static class DashboardExtensions
{
    /// <summary>Registers Blazor (interactive server only), MudBlazor, the typed API client and the shared event feed.</summary>
    public static WebApplicationBuilder AddNetPortalDashboard(this WebApplicationBuilder builder, Action<DashboardOptions> configure)
    {
        // Build output outside Development: without this, /_framework/blazor.web.js answers 500. Publish output ignores it.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddNetPortalDashboard(configure);
        return builder;
    }

    public static IServiceCollection AddNetPortalDashboard(this IServiceCollection services, Action<DashboardOptions> configure)
    {
        services.Configure(configure);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddScoped<DashboardSession>();
        services.AddScoped<INetPortalApiClient>(sp =>
            new AccessCheckedApiClient(sp.GetRequiredService<NetPortalApiClient>(), sp.GetRequiredService<DashboardSession>()));
        services.AddHttpClient<NetPortalApiClient>((sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<DashboardOptions>>().Value;
                http.BaseAddress = ApiEndpoint.Parse(o.ApiAddress).BaseAddress;
                http.Timeout = Timeout.InfiniteTimeSpan;
                if (o.ApiToken is { Length: > 0 } token) http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            })
            .ConfigurePrimaryHttpMessageHandler(sp => ApiEndpoint.Parse(sp.GetRequiredService<IOptions<DashboardOptions>>().Value.ApiAddress).CreateHandler());
        services.TryAddSingleton<IEventFeed, EventFeed>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, DashboardPagePolicy>());
        return services;
    }

    /// <summary>Call before UseRouting: the path prefix and the token check.</summary>
    public static IApplicationBuilder UseNetPortalDashboard(this IApplicationBuilder app)
    {
        var prefix = app.ApplicationServices.GetRequiredService<IOptions<DashboardOptions>>().Value.PathPrefix.TrimEnd('/');
        if (prefix.Length > 0) app.UseMiddleware<DashboardPathPrefixMiddleware>(new PathString(prefix.StartsWith('/') ? prefix : "/" + prefix));
        app.UseMiddleware<DashboardAccessMiddleware>();
        return app;
    }

    /// <summary>Call after UseRouting: antiforgery, static assets and the interactive server components.</summary>
    public static WebApplication MapNetPortalDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
