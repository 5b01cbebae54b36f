using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using NetPortal.Core.Daemon;
using NetPortal.Core.Drivers;
using NetPortal.Core.Endpoints;
using NetPortal.Core.Errors;
using NetPortal.Core.Events;
using NetPortal.Core.Ipam;

namespace NetPortal.Core.Networks;

/// <summary>
/// Network use cases. Reads are served from an immutable snapshot; changes are serialised and each is all-or-nothing
/// across IPAM, kernel (driver + firewall) and store: a failed step undoes the earlier ones in reverse.
/// </summary>
public sealed partial class NetworkService(
    INetworkStore store,
    IIpam ipam,
    DriverRegistry drivers,
    IHostNetworkState hostState,
    IEndpointDirectory endpoints,
    EventBus events,
    DaemonOptions options,
    TimeProvider time,
    ILogger<NetworkService> log)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile ImmutableList<Network> _networks = [];
    /// <summary>Networks whose kernel setup or teardown runs outside the gate right now; guarded by the gate.</summary>
    private readonly List<Network> _inFlight = [];
    /// <summary>
    /// Names and drivers' conflict keys of every network published or in flight (guarded by the gate), so a create
    /// checks them with lookups instead of touching every network: at 500 networks those scans were cache misses
    /// worth a third of a millisecond.
    /// </summary>
    private readonly Dictionary<string, int> _reservedNames = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Driver, string Key), List<Network>> _conflictKeys = [];

    public IReadOnlyList<Network> All => _networks;

    public IEndpointDirectory Endpoints => endpoints;

    /// <summary>Names of the network drivers this daemon has.</summary>
    public IEnumerable<string> Drivers => drivers.All.Select(d => d.Name).Order(StringComparer.Ordinal);

    /// <summary>Loads the records, creates the predefined networks, and reconciles the kernel with the records.</summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var stored = await store.LoadAllAsync(ct);
            var list = ImmutableList.CreateBuilder<Network>();
            foreach (var n in stored)
            {
                if (drivers.TryGet(n.Driver, out var d) && d.NeedsIpam) ipam.RestorePools(n.Id, n.Pools);
                list.Add(n);
            }
            _networks = list.ToImmutable();
            _reservedNames.Clear();
            _conflictKeys.Clear();
            foreach (var n in _networks) Reserve(n);

            foreach (var predefined in PredefinedFactory.Missing(_networks, options, time.GetUtcNow()))
            {
                var driver = drivers.Get(predefined.Driver);
                if (driver.NeedsIpam) ipam.RestorePools(predefined.Id, predefined.Pools);
                await store.AddAsync(predefined, ct);
                _networks = _networks.Add(predefined);
                Reserve(predefined);
                log.LogInformation("created predefined network {Name} ({Id})", predefined.Name, predefined.Id);
            }

            foreach (var n in _networks)
            {
                if (!drivers.TryGet(n.Driver, out var driver))
                {
                    log.LogWarning("network {Name} uses driver {Driver} which this daemon lacks", n.Name, n.Driver);
                    continue;
                }
                try
                {
                    foreach (var line in driver.Restore(n)) log.LogInformation("reconcile: {Line}", line);
                }
                catch (Exception e)
                {
                    log.LogError(e, "reconcile: could not restore network {Name}", n.Name);
                }
            }
            foreach (var driver in drivers.All)
            {
                try
                {
                    var owned = _networks.Where(n => n.Driver == driver.Name).ToList();
                    foreach (var line in driver.RemoveOrphans(owned)) log.LogInformation("reconcile: {Line}", line);
                }
                catch (Exception e)
                {
                    log.LogError(e, "reconcile: removing leftovers of driver {Driver} failed", driver.Name);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Docker's FindNetwork order: exact id, then exact name, then unique id prefix.</summary>
    public Network Inspect(string term, string? scope = null)
    {
        var n = Resolve(term, ambiguous: (count, basis) => $"{count} matches found based on {basis}: network {term} is ambiguous");
        if (!string.IsNullOrEmpty(scope) && n.Scope != scope) throw NetPortalException.NotFound($"network {term} not found");
        return n;
    }

    private Network Resolve(string term, Func<int, string, string> ambiguous)
    {
        var all = _networks;
        if (term.Length == 0) throw NetPortalException.NotFound($"network {term} not found");
        foreach (var n in all) if (n.Id == term) return n;
        var byName = all.Where(n => n.Name == term).ToList();
        if (byName.Count == 1) return byName[0];
        if (byName.Count > 1) throw NetPortalException.InvalidParameter(ambiguous(byName.Count, "name"));
        var byPrefix = all.Where(n => n.Id.StartsWith(term, StringComparison.Ordinal)).ToList();
        if (byPrefix.Count == 1) return byPrefix[0];
        if (byPrefix.Count > 1) throw NetPortalException.InvalidParameter(ambiguous(byPrefix.Count, "ID prefix"));
        throw NetPortalException.NotFound($"network {term} not found");
    }

    /// <summary>Indexes a network that became published or in flight (it was neither); caller holds the gate.</summary>
    private void Reserve(Network n)
    {
        _reservedNames[n.Name] = _reservedNames.GetValueOrDefault(n.Name) + 1;
        foreach (var key in ConflictKeysOf(n))
        {
            if (!_conflictKeys.TryGetValue(key, out var list)) _conflictKeys[key] = list = [];
            list.Add(n);
        }
    }

    /// <summary>Drops a network that is neither published nor in flight any more; caller holds the gate.</summary>
    private void Unreserve(Network n)
    {
        if (_reservedNames.TryGetValue(n.Name, out var count))
        {
            if (count > 1) _reservedNames[n.Name] = count - 1;
            else _reservedNames.Remove(n.Name);
        }
        foreach (var key in ConflictKeysOf(n))
        {
            if (!_conflictKeys.TryGetValue(key, out var list)) continue;
            list.Remove(n);
            if (list.Count == 0) _conflictKeys.Remove(key);
        }
    }

    private IEnumerable<(string Driver, string Key)> ConflictKeysOf(Network n) =>
        drivers.TryGet(n.Driver, out var d) && d.ConflictKeys(n) is { } keys ? keys.Select(k => (n.Driver, k)) : [];

    /// <summary>What the driver's Validate must see: the networks sharing a conflict key, or all of them.</summary>
    private IReadOnlyCollection<Network> ValidationPeers(INetworkDriver driver, Network network)
    {
        if (driver.ConflictKeys(network) is not { } keys)
        {
            var published = _networks;
            var all = new Network[published.Count + _inFlight.Count];
            published.CopyTo(all);
            _inFlight.CopyTo(all, published.Count);
            return all;
        }
        var peers = new List<Network>();
        foreach (var key in keys)
            if (_conflictKeys.TryGetValue((network.Driver, key), out var list)) peers.AddRange(list);
        return peers;
    }

    private DockerEvent Emit(string action, Network n) =>
        events.Publish("network", action, n.Id, new Dictionary<string, string> { ["name"] = n.Name, ["type"] = n.Driver });
}
