using NetPortal.Core.Containers;
using NetPortal.Core.Networks;

namespace NetPortal.Api.Daemon;

/// <summary>Runs before the listeners accept requests: kernel preparation, then records ⇄ kernel reconcile.</summary>
public sealed class DaemonStartup(IKernelSetup kernel, NetworkService networks, ContainerService containers, ILogger<DaemonStartup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        kernel.Initialize();
        await networks.InitializeAsync(ct);
        await containers.InitializeAsync(ct);
        log.LogInformation("daemon ready: {Networks} networks, {Containers} containers", networks.All.Count, containers.All.Count);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
