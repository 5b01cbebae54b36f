using System.Collections.Concurrent;
using NetPortal.Core.Drivers;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Insight;

/// <summary>
/// Compares the managed namespace's addresses and routes with the networks' subnets and remembers when each
/// overlap was first seen. The network's own bridge (its address and connected route) is not a conflict.
/// Called periodically by the daemon and on each IPAM report; thread-safe.
/// </summary>
public sealed class IpamConflictMonitor(NetworkService networks, IHostNetworkState host, IBridgeSpecs bridges, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string NetworkId, string Subnet, string Prefix, string Device, string Kind), DateTimeOffset> _firstSeen = new();
    private readonly Lock _lock = new();

    /// <summary>Current conflicts by network id and subnet; overlaps gone since the last check are forgotten.</summary>
    public IReadOnlyDictionary<(string NetworkId, string Subnet), IReadOnlyList<IpamConflict>> Check()
    {
        var prefixes = host.GetOccupiedPrefixes();
        var now = time.GetUtcNow();
        var seen = new HashSet<(string, string, string, string, string)>();
        lock (_lock)
        {
            foreach (var n in networks.All)
            {
                var own = n.Driver == "bridge" ? bridges.SpecOf(n)?.BridgeName : null;
                foreach (var pool in n.Pools)
                {
                    if (!Cidr.TryParse(pool.Subnet, out var subnet, out _)) continue;
                    foreach (var p in prefixes)
                    {
                        if (p.Device == own || !subnet.Overlaps(p.Prefix)) continue;
                        var key = (n.Id, pool.Subnet, p.Prefix.ToString(), p.Device, p.Kind);
                        seen.Add(key);
                        _firstSeen.TryAdd(key, now);
                    }
                }
            }
            foreach (var key in _firstSeen.Keys)
                if (!seen.Contains(key)) _firstSeen.TryRemove(key, out _);
            return _firstSeen
                .GroupBy(kv => (kv.Key.NetworkId, kv.Key.Subnet))
                .ToDictionary(
                    g => g.Key,
                    g => (IReadOnlyList<IpamConflict>)g.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key.Prefix, StringComparer.Ordinal)
                        .Select(kv => new IpamConflict(kv.Key.Prefix, kv.Key.Device, kv.Key.Kind, kv.Value)).ToList());
        }
    }
}
