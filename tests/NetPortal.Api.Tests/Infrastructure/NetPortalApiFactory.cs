using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using NetPortal.Api.Daemon;
using NetPortal.Core.Containers;
using NetPortal.Core.Drivers;
using NetPortal.Core.Endpoints;
using NetPortal.Core.Networks;
using NetPortal.Core.Sandboxes;
using NetPortal.Data;

namespace NetPortal.Api.Tests.Infrastructure;

/// <summary>
/// The real daemon pipeline in-process, with no kernel: an in-memory SQLite store, a recording fake bridge driver,
/// a host-state fake whose prefixes a test sets, a no-op kernel setup and a throw-away data root. Containers run on a
/// fake sandbox runtime over an in-memory container store.
/// Made by <see cref="WithKestrel"/>, the daemon listens on a real loopback port (through Listeners.Configure, so with the
/// UpgradeBodyFix connection middleware), for tests that need raw sockets: <see cref="Port"/>.
/// </summary>
public sealed class NetPortalApiFactory : WebApplicationFactory<Program>
{
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "netportal-api-tests-" + Guid.NewGuid().ToString("N"));
    private readonly bool _kestrel;

    public NetPortalApiFactory()
        : this(kestrel: false)
    {
    }

    /// <summary>The daemon on a real loopback Kestrel listener (xunit fixtures need the single parameterless constructor).</summary>
    public static NetPortalApiFactory WithKestrel() => new(kestrel: true);

    private NetPortalApiFactory(bool kestrel)
    {
        _kestrel = kestrel;
        if (!kestrel) return;
        Port = FreePort();
        UseKestrel();
        StartServer();
    }

    /// <summary>The loopback port in Kestrel mode.</summary>
    public int Port { get; }

    public FakeSandboxRuntime Runtime { get; } = new();
    public InMemoryContainerStore ContainerStore { get; } = new();

    public FakeBridgeDriver Bridge { get; } = new();
    public FakeHostNetworkState HostState { get; } = new();
    public FailingNetworkStore Store { get; } = new(NetPortalData.OpenInMemory());

    public string DataRoot => _dataRoot;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<INetworkStore>();
            services.AddSingleton<INetworkStore>(Store);

            services.RemoveAll<INetworkDriver>();
            services.AddSingleton<INetworkDriver>(Bridge);
            services.AddSingleton<INetworkDriver>(NamespaceOnlyDriver.Host());
            services.AddSingleton<INetworkDriver>(NamespaceOnlyDriver.Null());

            services.RemoveAll<IHostNetworkState>();
            services.AddSingleton<IHostNetworkState>(HostState);

            services.RemoveAll<ISandboxRuntime>();
            services.AddSingleton<ISandboxRuntime>(Runtime);
            services.RemoveAll<IContainerStore>();
            services.AddSingleton<IContainerStore>(ContainerStore);
            services.RemoveAll<NetPortal.Core.Containers.IManagedHost>();
            services.AddSingleton<NetPortal.Core.Containers.IManagedHost, FakeManagedHost>();
            // What the composition root is expected to wire; TryAdd keeps its registrations once they exist.
            services.TryAddSingleton<EndpointRegistry>();
            services.RemoveAll<IEndpointDirectory>();
            services.AddSingleton<IEndpointDirectory>(sp => sp.GetRequiredService<EndpointRegistry>());
            services.TryAddSingleton<ContainerService>();

            services.RemoveAll<IKernelSetup>();
            services.AddSingleton<IKernelSetup, NoKernelSetup>();

            // No kernel in-process: a daemon without --netns manages the namespace it runs in, which here would be
            // the machine's own. Every kernel-facing service is replaced, and the namespace itself refuses to open,
            // so anything still reaching for it fails the test instead of touching the host.
            services.RemoveAll<NetPortal.Core.Ports.IPortPublisher>();
            services.AddSingleton<NetPortal.Core.Ports.IPortPublisher, NetPortal.Core.Ports.NoPortPublisher>();
            services.RemoveAll<NetPortal.Core.Dns.IEmbeddedResolver>();
            services.AddSingleton<NetPortal.Core.Dns.IEmbeddedResolver, NetPortal.Core.Dns.NoResolver>();
            services.RemoveAll<NetPortal.Linux.Namespaces.NetNamespace>();
            services.AddSingleton<NetPortal.Linux.Namespaces.NetNamespace>(_ =>
                throw new InvalidOperationException("in-process API tests must not open a kernel namespace"));

            var settings = new DaemonSettings { DataRoot = _dataRoot, Hosts = ["tcp://127.0.0.1:2375"], FirewallBackend = "none" };
            services.RemoveAll<DaemonSettings>();
            services.AddSingleton(settings);
        });
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Host configuration reaches Program as --key=value arguments, which DaemonArgs reads like dockerd's flags.
        if (_kestrel)
            builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["host"] = $"tcp://127.0.0.1:{Port}",
                ["data-root"] = _dataRoot,
            }));
        return base.CreateHost(builder);
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        Store.Inner.Dispose();
        try
        {
            if (Directory.Exists(_dataRoot)) Directory.Delete(_dataRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The kernel is never touched in these tests.</summary>
public sealed class NoKernelSetup : IKernelSetup
{
    public void Initialize() { }
}
