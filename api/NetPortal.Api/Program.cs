using NetPortal.Api.Containers;
using NetPortal.Api.Daemon;
using NetPortal.Api.Engine;
using NetPortal.Api.Exec;
using NetPortal.Api.Http;
using NetPortal.Api.Images;
using NetPortal.Api.Networks;
using NetPortal.Api.OpenApi;
using NetPortal.Web.Hosting;

DaemonSettings settings;
string[] passThrough;
try
{
    (settings, passThrough) = DaemonArgs.Parse(args);
}
catch (DaemonStartupException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

// Kernel work is synchronous by nature (netlink request/reply, the firewall's group commit, setns threads), so a
// request holds its pool thread while the kernel answers. With the default minimum (one thread per core) eight
// concurrent clients starved the pool until it grew, a few threads per second.
ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
ThreadPool.SetMinThreads(Math.Max(minWorkers, 32), minIo);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = passThrough });
builder.Logging.SetMinimumLevel(settings.LogLevel switch
{
    "debug" => LogLevel.Debug,
    "warn" => LogLevel.Warning,
    "error" => LogLevel.Error,
    "fatal" => LogLevel.Critical,
    _ => LogLevel.Information,
});
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
builder.WebHost.ConfigureKestrel(k => Listeners.Configure(k, settings));
builder.Services.AddNetPortal(settings);
builder.Services.AddNetPortalSwagger();
var tokens = settings.ConfigFile is { } configFile ? DaemonConfigFile.Load(configFile).Tokens : null;
builder.AddNetPortalDashboard(o =>
{
    o.ApiAddress = DashboardOptions.PickLocalAddress(settings.Hosts);
    o.ReadToken = tokens?.Read;
    o.AdminToken = tokens?.Admin;
    o.ApiToken = tokens?.Admin;
});

var app = builder.Build();
// After Build so in-process test hosts (which stop at Build) are not refused; before anything touches the kernel.
if (DaemonPrograms.Check(settings) is { } missingPrograms)
{
    Console.Error.WriteLine(missingPrograms);
    return 1;
}
app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ctx => DockerApiMiddleware.WriteError(ctx, StatusCodes.Status500InternalServerError, "internal error") });
app.UseStatusCodePages(async ctx =>
{
    // Unknown routes and wrong methods: dockerd answers 404 "page not found" for both, never 405.
    if (ctx.HttpContext.Response.StatusCode is 404 or 405)
        await DockerApiMiddleware.WriteError(ctx.HttpContext, StatusCodes.Status404NotFound, "page not found");
});
app.UseDockerApi();
app.UseNetPortalDashboard();
app.UseRouting();
app.UseNetPortalSwagger();
app.MapSystem();
app.MapEvents();
app.MapNetworks();
app.MapNetworkAttachments();
app.MapContainers();
app.MapExec();
app.MapImages();
NetPortal.Api.Insight.NetPortalEndpoints.MapNetPortal(app);
app.MapNetPortalDashboard();
app.Lifetime.ApplicationStarted.Register(() => Listeners.RestrictSocketModes(settings));

try
{
    await app.RunAsync();
}
catch (DaemonStartupException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
return 0;

/// <summary>Entry point type, public for WebApplicationFactory.</summary>
public partial class Program;
