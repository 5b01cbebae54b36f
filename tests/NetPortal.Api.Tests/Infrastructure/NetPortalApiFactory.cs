using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NetPortal.Api.Daemon;
using NetPortal.Core.Drivers;
using NetPortal.Core.Networks;
using NetPortal.Data;

namespace NetPortal.Api.Tests.Infrastructure;

/// <summary>
/// The real daemon pipeline in-process, with no kernel: an in-memory SQLite store, a recording fake bridge driver,
/// a host-state fake whose prefixes a test sets, a no-op kernel setup and a throw-away data root.
/// </summary>
public sealed class NetPortalApiFactory : WebApplicationFactory<Program>
{
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "netportal-api-tests-" + Guid.NewGuid().ToString("N"));

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

            services.RemoveAll<IKernelSetup>();
            services.AddSingleton<IKernelSetup, NoKernelSetup>();

            var settings = new DaemonSettings { DataRoot = _dataRoot, Hosts = ["tcp://127.0.0.1:2375"], FirewallBackend = "none" };
            services.RemoveAll<DaemonSettings>();
            services.AddSingleton(settings);
        });
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
