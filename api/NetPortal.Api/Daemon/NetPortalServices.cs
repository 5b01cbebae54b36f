using NetPortal.Api.Errors;
using NetPortal.Api.Http;
using NetPortal.Core.Containers;
using NetPortal.Core.Dns;
using NetPortal.Core.Drivers;
using NetPortal.Core.Endpoints;
using NetPortal.Core.Events;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;
using NetPortal.Core.Ports;
using NetPortal.Core.Sandboxes;
using NetPortal.Data;
using NetPortal.Linux.Bridge;
using NetPortal.Linux.Firewall;
using NetPortal.Linux.Namespaces;
using NetPortal.Linux.Netlink;
using NetPortal.Linux.Sandboxes;

namespace NetPortal.Api.Daemon;

/// <summary>The composition root: core use cases over the Linux kernel, the SQLite store and Docker's HTTP shape.</summary>
public static class NetPortalServices
{
    public static IServiceCollection AddNetPortal(this IServiceCollection services, DaemonSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(settings.Options);
        services.AddSingleton<DaemonIdentity>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<EventBus>();
        // Both stores share one SQLite file (one migration history, one WAL).
        services.AddSingleton(_ => new Lazy<(SqliteNetworkStore Networks, SqliteContainerStore Containers)>(() => NetPortalData.OpenStores(settings.DataRoot)));
        services.AddSingleton<INetworkStore>(sp => sp.GetRequiredService<Lazy<(SqliteNetworkStore Networks, SqliteContainerStore Containers)>>().Value.Networks);
        services.AddSingleton<IContainerStore>(sp => sp.GetRequiredService<Lazy<(SqliteNetworkStore Networks, SqliteContainerStore Containers)>>().Value.Containers);
        services.AddSingleton<IIpam>(_ => new DefaultIpam(settings.Options.DefaultAddressPools));
        services.AddSingleton<EndpointRegistry>();
        services.AddSingleton<IEndpointDirectory>(sp => sp.GetRequiredService<EndpointRegistry>());
        services.AddSingleton<NetworkService>();
        services.AddSingleton<ContainerService>();
        services.AddSingleton<PortAllocator>();
        // Ports: rules through the firewall (when it has port rules), sockets in the managed namespace.
        services.AddSingleton<IPortPublisher>(sp => new NetPortal.Linux.Ports.PortPublisher(
            sp.GetRequiredService<IFirewall>() as NetPortal.Linux.Ports.IPortFirewall ?? new NetPortal.Linux.Ports.NoPortFirewall(),
            sp.GetRequiredService<NetNamespace>(), settings.UserlandProxy, sp.GetRequiredService<ILogger<NetPortal.Linux.Ports.PortPublisher>>()));
        // Built on first use (it needs the managed namespace); the concrete type is registered too for its counters.
        services.AddSingleton(sp => new NetPortal.Linux.Dns.EmbeddedResolver(sp.GetRequiredService<NetNamespace>(), sp.GetRequiredService<ILogger<NetPortal.Linux.Dns.EmbeddedResolver>>()));
        services.AddSingleton<IEmbeddedResolver>(sp => sp.GetRequiredService<NetPortal.Linux.Dns.EmbeddedResolver>());
        services.AddSingleton(sp => new DriverRegistry(sp.GetServices<INetworkDriver>()));

        // Kernel side: everything below lives in (or acts on) the managed namespace, and is created lazily
        // so that tests can replace it without a namespace ever being opened.
        services.AddSingleton(_ => NetNamespace.Open(settings.Netns ?? $"/proc/{Environment.ProcessId}/ns/net"));
        services.AddSingleton(sp => sp.GetRequiredService<NetNamespace>().OpenRouteNetlink());
        services.AddSingleton<IRouteNetlink>(sp => sp.GetRequiredService<RouteNetlink>());
        services.AddSingleton<IFirewall>(sp => settings.FirewallBackend switch
        {
            "none" => new NoFirewall(),
            "nftables" => new NetPortal.Linux.Firewall.Nftables.NftablesFirewall(
                (file, args, stdin) =>
                {
                    var r = sp.GetRequiredService<NetNamespace>().RunProcess(file, args.ToArray(), stdin);
                    return new ProcessResult(r.ExitCode, r.Stdout, r.Stderr);
                },
                sp.GetRequiredService<ILogger<NetPortal.Linux.Firewall.Nftables.NftablesFirewall>>()) { Hairpin = !settings.UserlandProxy },
            _ => new IptablesFirewall(
                (file, args, stdin) =>
                {
                    var r = sp.GetRequiredService<NetNamespace>().RunProcess(file, args.ToArray(), stdin);
                    return new ProcessResult(r.ExitCode, r.Stdout, r.Stderr);
                },
                sp.GetRequiredService<ILogger<IptablesFirewall>>())
            {
                Hairpin = !settings.UserlandProxy,
                NetlinkNamespacePath = sp.GetRequiredService<NetNamespace>().Path,
            },
        });
        // The reaper deletes retired bridges in batches on its own netlink socket, off the request path.
        services.AddSingleton(sp => new BridgeReaper(sp.GetRequiredService<NetNamespace>().OpenRouteNetlink(), sp.GetRequiredService<ILogger<BridgeReaper>>()));
        services.AddSingleton<INetworkDriver>(sp => new BridgeDriver(
            sp.GetRequiredService<IRouteNetlink>(), sp.GetRequiredService<IFirewall>(), settings.Options,
            sp.GetRequiredService<ILogger<BridgeDriver>>(), sp.GetRequiredService<BridgeReaper>()));
        services.AddSingleton<INetworkDriver>(sp => new NetPortal.Linux.Macvlan.MacvlanDriver(
            sp.GetRequiredService<IRouteNetlink>(), sp.GetRequiredService<IIpam>(), sp.GetRequiredService<ILogger<NetPortal.Linux.Macvlan.MacvlanDriver>>()));
        services.AddSingleton<INetworkDriver>(sp => new NetPortal.Linux.Ipvlan.IpvlanDriver(
            sp.GetRequiredService<IRouteNetlink>(), sp.GetRequiredService<ILogger<NetPortal.Linux.Ipvlan.IpvlanDriver>>()));
        services.AddSingleton<INetworkDriver>(_ => NamespaceOnlyDriver.Host());
        services.AddSingleton<INetworkDriver>(_ => NamespaceOnlyDriver.Null());
        // Kept current from rtnetlink notifications: overlap checks never dump the namespace (flat create cost).
        services.AddSingleton<IHostNetworkState>(sp => WatchedHostNetworkState.Open(sp.GetRequiredService<NetNamespace>()));
        services.AddSingleton<IKernelSetup, LinuxKernelSetup>();
        services.AddSingleton<IManagedHost, ManagedHost>();
        services.AddSingleton<ISandboxRuntime>(sp => new LinuxSandboxRuntime(
            Path.Combine(settings.ExecRoot, "sandboxes"), sp.GetRequiredService<NetNamespace>(), sp.GetRequiredService<ILogger<LinuxSandboxRuntime>>()));
        services.AddHostedService<DaemonStartup>();
        Insight.InsightServices.AddNetPortalInsight(services, settings);

        services.AddSingleton<NetPortal.Api.Networks.NetworkListJson>();
        services.AddExceptionHandler<DockerExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => DockerJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}
