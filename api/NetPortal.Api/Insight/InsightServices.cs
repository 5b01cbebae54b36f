using NetPortal.Api.Daemon;
using NetPortal.Core.Insight;
using NetPortal.Linux.Firewall;
using NetPortal.Linux.Insight;
using NetPortal.Linux.Namespaces;
using NetPortal.Linux.Netlink;

namespace NetPortal.Api.Insight;

/// <summary>The insight use cases and their kernel ports (called from NetPortalServices.AddNetPortal).</summary>
public static class InsightServices
{
    public static IServiceCollection AddNetPortalInsight(this IServiceCollection services, DaemonSettings settings)
    {
        services.AddSingleton<IBridgeSpecs>(_ => new BridgeSpecs(settings.Options));
        services.AddSingleton<IFirewallInspector>(sp => new KernelFirewallInspector(
            settings.FirewallBackend,
            (file, args, stdin) =>
            {
                var r = sp.GetRequiredService<NetNamespace>().RunProcess(file, args.ToArray(), stdin);
                return new ProcessResult(r.ExitCode, r.Stdout, r.Stderr);
            },
            hairpin: !settings.UserlandProxy));
        services.AddSingleton<IHostInterfaces>(sp => new NetlinkHostInterfaces(sp.GetRequiredService<IRouteNetlink>(), sp.GetRequiredService<NetNamespace>().Path));
        services.AddSingleton<ISandboxRoutes, NetlinkSandboxRoutes>();
        services.AddSingleton<InsightSource>();
        services.AddSingleton<TopologyService>();
        services.AddSingleton<FirewallReport>();
        services.AddSingleton<IpamConflictMonitor>();
        services.AddSingleton<IpamReport>();
        services.AddSingleton<DriftDetector>();
        services.AddHostedService<IpamConflictWatcher>();
        return services;
    }
}
