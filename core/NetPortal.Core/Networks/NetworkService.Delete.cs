using Microsoft.Extensions.Logging;
using NetPortal.Core.Errors;
using NetPortal.Core.Filters;

namespace NetPortal.Core.Networks;

public sealed partial class NetworkService
{
    private int _pruning;

    /// <summary>Removes a network: kernel first, then the record, then its pools.</summary>
    public async Task DeleteAsync(string term, CancellationToken ct = default)
    {
        Network n;
        await _gate.WaitAsync(ct);
        try
        {
            n = Resolve(term, ambiguous: (count, basis) => $"network {term} is ambiguous ({count} matches found based on {basis})");
            if (n.IsPredefined) throw NetPortalException.Forbidden($"{n.Name} is a pre-defined network and cannot be removed");
            ThrowIfActive(n);
            // Out of the published list while the kernel work runs: it can no longer be found, connected or removed twice,
            // and its name, bridge and pools stay reserved until it is gone.
            _networks = _networks.Remove(n);
            _inFlight.Add(n);
        }
        finally
        {
            _gate.Release();
        }

        try
        {
            // Kernel before record: if teardown fails the record stays, so a retry (or the next start's reconcile) finishes it.
            drivers.Get(n.Driver).Teardown(n);
            await store.RemoveAsync(n.Id, CancellationToken.None);
        }
        catch
        {
            await _gate.WaitAsync(CancellationToken.None);
            try
            {
                _inFlight.Remove(n);
                _networks = _networks.Add(n);
            }
            finally
            {
                _gate.Release();
            }
            throw;
        }

        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            _inFlight.Remove(n);
            Unreserve(n);
            Forget(n);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void ThrowIfActive(Network n)
    {
        var active = endpoints.ActiveEndpoints(n.Id);
        if (active.Count > 0)
        {
            var list = string.Join(", ", active.Select(e => $"name:\"{e.ContainerName}\" id:\"{e.EndpointId[..Math.Min(12, e.EndpointId.Length)]}\""));
            throw NetPortalException.Forbidden($"error while removing network: network {n.Name} has active endpoints ({list})");
        }
    }

    /// <summary>Releases what a removed network still held (pools) and announces it; caller holds the gate.</summary>
    private void Forget(Network n)
    {
        if (drivers.TryGet(n.Driver, out var d) && d.NeedsIpam) ipam.ReleasePools(n.Id);
        Emit("destroy", n);
        log.LogInformation("removed network {Name} ({Id})", n.Name, n.Id);
    }

    private async Task RemoveLockedAsync(Network n, CancellationToken ct)
    {
        drivers.Get(n.Driver).Teardown(n);
        await store.RemoveAsync(n.Id, ct);
        _networks = _networks.Remove(n);
        Unreserve(n);
        Forget(n);
    }

    /// <summary>Removes unused local networks matching until/label/label!; returns their names (null when none, as Go's nil).</summary>
    public async Task<IReadOnlyList<string>?> PruneAsync(FilterArgs filters, CancellationToken ct = default)
    {
        filters.Validate("until", "label", "label!");
        var until = filters.Get("until");
        if (until.Count > 1) throw NetPortalException.InvalidParameter("more than one until filter specified");
        DateTimeOffset? cutoff = null;
        if (until.Count == 1)
        {
            if (!GoTime.TryParseTimestamp(until[0], time.GetUtcNow(), out var c))
                throw NetPortalException.InvalidParameter($"failed to parse value as time or duration: \"{until[0]}\"");
            cutoff = c;
        }
        if (Interlocked.CompareExchange(ref _pruning, 1, 0) != 0)
            throw NetPortalException.Conflict("a prune operation is already running");
        try
        {
            List<string>? deleted = null;
            await _gate.WaitAsync(ct);
            try
            {
                foreach (var n in _networks)
                {
                    if (n.IsPredefined || n.ConfigOnly || n.Scope != "local") continue;
                    if (cutoff is { } cut && n.Created >= cut) continue;
                    if (filters.Contains("label") && !FilterArgs.MatchesLabels(filters.Get("label"), n.Labels)) continue;
                    if (filters.Contains("label!") && filters.Get("label!").Any(l => FilterArgs.MatchesLabels([l], n.Labels))) continue;
                    if (endpoints.ActiveEndpoints(n.Id).Count > 0) continue;
                    try
                    {
                        await RemoveLockedAsync(n, ct);
                        (deleted ??= []).Add(n.Name);
                    }
                    catch (Exception e)
                    {
                        log.LogWarning(e, "prune: could not remove network {Name}", n.Name);
                    }
                }
            }
            finally
            {
                _gate.Release();
            }
            events.Publish("network", "prune", "", new Dictionary<string, string> { ["reclaimed"] = "0" });
            return deleted;
        }
        finally
        {
            Volatile.Write(ref _pruning, 0);
        }
    }
}
