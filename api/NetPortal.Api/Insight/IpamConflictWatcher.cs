using NetPortal.Core.Insight;

namespace NetPortal.Api.Insight;

/// <summary>Checks every few seconds for host addresses and routes overlapping network subnets (first-seen times for the IPAM view).</summary>
public sealed class IpamConflictWatcher(IpamConflictMonitor monitor, ILogger<IpamConflictWatcher> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            try
            {
                foreach (var ((networkId, subnet), conflicts) in monitor.Check())
                    foreach (var c in conflicts)
                        if (reported.Add($"{networkId} {c.Prefix} {c.Device}"))
                            log.LogWarning("subnet {Subnet} of network {Network} overlaps {Kind} {Prefix} on {Device}", subnet, networkId, c.Kind, c.Prefix, c.Device);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogDebug(e, "IPAM conflict check failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
