using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http.HttpResults;
using NetPortal.Api.Contracts;
using NetPortal.Api.Daemon;
using NetPortal.Api.Http;
using NetPortal.Api.Networks;
using NetPortal.Core.Networks;

namespace NetPortal.Api.Engine;

/// <summary>/_ping, /version and /info.</summary>
public static class SystemEndpoints
{
    public static IEndpointRouteBuilder MapSystem(this IEndpointRouteBuilder app)
    {
        // The cast picks the Delegate overload: a bare RequestDelegate endpoint has no API description (no OpenAPI operation).
        app.MapGet("/_ping", (Delegate)Ping).WithName("SystemPing").WithTags("System").Produces<string>(200, "text/plain");
        app.MapMethods("/_ping", ["HEAD"], PingHead).WithName("SystemPingHead").WithTags("System").Produces(200);
        app.MapGet("/version", Version).WithName("SystemVersion").WithTags("System");
        app.MapGet("/info", Info).WithName("SystemInfo").WithTags("System");
        return app;
    }

    private static void PingHeaders(HttpContext ctx)
    {
        var h = ctx.Response.Headers;
        h.CacheControl = "no-cache, no-store, must-revalidate";
        h.Pragma = "no-cache";
        h["Builder-Version"] = "";
        h.Remove("Builder-Version");
        h["Swarm"] = "inactive";
        ctx.Response.ContentType = "text/plain; charset=utf-8";
    }

    /// <summary>GET /_ping</summary>
    public static async Task Ping(HttpContext ctx)
    {
        PingHeaders(ctx);
        await ctx.Response.WriteAsync("OK");
    }

    /// <summary>HEAD /_ping</summary>
    public static void PingHead(HttpContext ctx)
    {
        PingHeaders(ctx);
        ctx.Response.ContentLength = 0;
    }

    /// <summary>GET /version</summary>
    public static Ok<SystemVersion> Version()
    {
        var kernel = KernelVersion();
        var arch = Arch();
        var details = new Dictionary<string, string>
        {
            ["ApiVersion"] = ApiVersions.Max,
            ["MinAPIVersion"] = ApiVersions.Min,
            ["GitCommit"] = "netportal",
            ["GoVersion"] = ".NET " + Environment.Version,
            ["Os"] = "linux",
            ["Arch"] = arch,
            ["KernelVersion"] = kernel,
            ["BuildTime"] = BuildTime,
            ["Experimental"] = "false",
        };
        return TypedResults.Ok(new SystemVersion
        {
            Platform = new PlatformInfo("NetPortal"),
            Components = [new ComponentVersion("Engine", ApiVersions.DaemonVersion, details)],
            Version = ApiVersions.DaemonVersion,
            ApiVersion = ApiVersions.Max,
            MinAPIVersion = ApiVersions.Min,
            GitCommit = "netportal",
            GoVersion = ".NET " + Environment.Version,
            Os = "linux",
            Arch = arch,
            KernelVersion = kernel,
            Experimental = false,
            BuildTime = BuildTime,
        });
    }

    /// <summary>GET /info</summary>
    public static Ok<SystemInfo> Info(DaemonSettings settings, DaemonIdentity identity, NetworkService networks, TimeProvider time)
    {
        var pools = settings.Options.DefaultAddressPools?.Select(p => new InfoAddressPool(p.Base, p.Size)).ToList()
            ?? [new("172.17.0.0/16", 16), new("172.18.0.0/16", 16), new("172.19.0.0/16", 16), new("172.20.0.0/14", 16),
                new("172.24.0.0/14", 16), new("172.28.0.0/14", 16), new("192.168.0.0/16", 20)];
        return TypedResults.Ok(new SystemInfo
        {
            ID = identity.Id,
            Plugins = new InfoPlugins([], networks.Drivers.ToList(), null, []),
            SystemTime = NetworkMapping.FormatTime(time.GetUtcNow()),
            KernelVersion = KernelVersion(),
            OperatingSystem = OperatingSystem(),
            Architecture = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64",
            NCPU = Environment.ProcessorCount,
            MemTotal = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            DockerRootDir = settings.DataRoot,
            Name = Environment.MachineName,
            ServerVersion = ApiVersions.DaemonVersion,
            Swarm = new InfoSwarm("", "", "inactive", false, "", null),
            DefaultAddressPools = pools,
            FirewallBackend = new InfoFirewall(settings.FirewallBackend, [["Managed namespace", settings.NetnsDescription]]),
            IPv4Forwarding = settings.Options.IpForward,
            Labels = ["netportal.netns=" + settings.NetnsDescription],
        });
    }

    private static readonly string BuildTime = NetworkMapping.FormatTime(File.GetLastWriteTimeUtc(typeof(SystemEndpoints).Assembly.Location));

    private static string Arch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        _ => "amd64",
    };

    private static string KernelVersion()
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (IOException) { return "unknown"; }
    }

    private static string OperatingSystem()
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/os-release"))
                if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) return line[12..].Trim('"');
        }
        catch (IOException)
        {
        }
        return "Linux";
    }
}
