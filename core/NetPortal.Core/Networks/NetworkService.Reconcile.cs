using Microsoft.Extensions.Logging;

namespace NetPortal.Core.Networks;

public sealed partial class NetworkService
{
    /// <summary>
    /// The start-up reconcile on demand (drift repair): every driver restores what its networks miss and removes
    /// its orphans, under the gate so no create or delete runs meanwhile; returns a line per change.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReconcileAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var lines = new List<string>();
            foreach (var n in _networks)
            {
                if (!drivers.TryGet(n.Driver, out var driver)) continue;
                try
                {
                    lines.AddRange(driver.Restore(n));
                }
                catch (Exception e)
                {
                    log.LogError(e, "reconcile: could not restore network {Name}", n.Name);
                    lines.Add($"could not restore network {n.Name}: {e.Message}");
                }
            }
            foreach (var driver in drivers.All)
            {
                try
                {
                    lines.AddRange(driver.RemoveOrphans(_networks.Where(n => n.Driver == driver.Name).ToList()));
                }
                catch (Exception e)
                {
                    log.LogError(e, "reconcile: removing leftovers of driver {Driver} failed", driver.Name);
                    lines.Add($"removing leftovers of driver {driver.Name} failed: {e.Message}");
                }
            }
            foreach (var line in lines) log.LogInformation("reconcile: {Line}", line);
            return lines;
        }
        finally
        {
            _gate.Release();
        }
    }
}
