using System.Net;
using System.Net.Sockets;
using NetPortal.Core.Daemon;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Ipam;

/// <summary>
/// Docker's "default" IPAM driver for the local address space. Every pool of every network lives in one address
/// space per family, so no two networks' subnets may overlap. State is in memory and guarded by one lock.
/// </summary>
public sealed class DefaultIpam : IIpam
{
    private const string AddressInUse = "Address already in use";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<AddressPool>> _networks = new(StringComparer.Ordinal);
    /// <summary>Every pool's subnet, so overlap checks and picks cost O(log n) rather than a scan of all networks.</summary>
    private PrefixIndex _subnets = PrefixIndex.Empty;
    private readonly PredefinedPools _predefined4;
    private readonly PredefinedPools _predefined6;

    /// <param name="defaultPools">daemon.json default-address-pools; null or empty means Docker's built-in list
    /// (172.17.0.0/16 … 192.168.0.0/16 split into /20s, and fd00::/48 split into /64s). A list without IPv6 bases
    /// leaves IPv6 networks without a default subnet, as in Docker.</param>
    /// <exception cref="ArgumentException">A base is not a CIDR or cannot be split into the given size.</exception>
    public DefaultIpam(IReadOnlyList<AddressPoolOption>? defaultPools)
    {
        var options = defaultPools is { Count: > 0 } ? defaultPools : PredefinedPools.DockerLocalDefaults;
        (_predefined4, _predefined6) = PredefinedPools.Create(options);
    }

    public IReadOnlyList<IpamPool> RequestPools(string networkId, IReadOnlyList<IpamPoolRequest> requests, bool enableIPv4, bool enableIPv6, IReadOnlyList<Cidr> hostPrefixes) =>
        RequestPools(networkId, requests, enableIPv4, enableIPv6, PrefixIndex.Of(hostPrefixes.Where(h => h.PrefixLength > 0)));

    public IReadOnlyList<IpamPool> RequestPools(string networkId, IReadOnlyList<IpamPoolRequest> requests, bool enableIPv4, bool enableIPv6, PrefixIndex hostPrefixes)
    {
        IpamConfigValidator.Validate(requests, enableIPv6);

        // After validation every Subnet parses; a family that is disabled is ignored, as libnetwork only runs
        // ipamAllocateVersion for enabled families.
        var byFamily = requests.ToLookup(r => Cidr.Parse(r.Subnet!).IsIPv6);
        lock (_lock)
        {
            if (_networks.ContainsKey(networkId))
                throw NetPortalException.Conflict($"network {networkId} already has address pools");

            var created = new List<AddressPool>();
            foreach (var ipv6 in new[] { false, true })
            {
                if (ipv6 ? !enableIPv6 : !enableIPv4) continue;
                var configs = byFamily[ipv6].ToList();
                foreach (var cfg in configs)
                    created.Add(CreateRequested(networkId, cfg, created, hostPrefixes));
                if (configs.Count == 0)
                    created.Add(CreateFromDefaults(ipv6, created, hostPrefixes));
            }
            Register(networkId, created);
            return created.Select(p => p.Pool).ToList();
        }
    }

    private AddressPool CreateRequested(string networkId, IpamPoolRequest cfg, List<AddressPool> created, PrefixIndex hostPrefixes)
    {
        var subnet = Cidr.Parse(cfg.Subnet!);
        var range = string.IsNullOrEmpty(cfg.IPRange) ? (Cidr?)null : Cidr.Parse(cfg.IPRange);

        if (_subnets.FindOverlap(subnet) is not null || created.Any(p => p.Subnet.Overlaps(subnet)))
            throw NetPortalException.Forbidden("invalid pool request: Pool overlaps with other one on this address space");

        // Host prefixes inside one of our pools (our bridges' own addresses and routes) need no exception: a subnet
        // overlapping one of them overlaps that pool and was refused above. A default route (/0) is never in the index.
        if (hostPrefixes.FindOverlap(subnet) is { } host)
            throw NetPortalException.Forbidden($"invalid pool request: subnet {subnet} overlaps with {host} present in the managed namespace");

        var pool = new AddressPool(subnet, range);
        UInt128 gateway;
        if (string.IsNullOrEmpty(cfg.Gateway))
        {
            gateway = PinDefaultGateway(pool);
        }
        else
        {
            gateway = Cidr.ToUInt128(IpamConfigValidator.ParseAddress(cfg.Gateway));
            // libnetwork wraps the allocator's error in an internal error (500), e.g. for the network address.
            if (!pool.TryPin(gateway))
                throw NetPortalException.Internal($"failed to allocate gateway ({cfg.Gateway}): {AddressInUse}");
        }

        var aux = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, text) in (cfg.AuxiliaryAddresses ?? new Dictionary<string, string>()).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var address = IpamConfigValidator.ParseAddress(text);
            if (!subnet.Contains(address))
                throw NetPortalException.Forbidden($"auxiliary address: ({name}:{text}) must belong to the master pool: {subnet}");
            if (!pool.TryPin(Cidr.ToUInt128(address)))
                throw NetPortalException.Internal($"failed to allocate secondary ip address ({name}:{text}): {AddressInUse}");
            aux[name] = address.ToString();
        }

        pool.Pool = new IpamPool(subnet.ToString(), range?.ToString(), pool.AddressAt(gateway).ToString(),
            SubnetRequested: true, GatewayRequested: !string.IsNullOrEmpty(cfg.Gateway), aux);
        return pool;
    }

    private AddressPool CreateFromDefaults(bool ipv6, List<AddressPool> created, PrefixIndex hostPrefixes)
    {
        Cidr? Blocker(Cidr candidate) =>
            _subnets.FindOverlap(candidate)
            ?? created.Select(p => (Cidr?)p.Subnet).FirstOrDefault(s => s!.Value.Overlaps(candidate))
            ?? hostPrefixes.FindOverlap(candidate);
        var subnet = (ipv6 ? _predefined6 : _predefined4).Pick(Blocker)
            ?? throw NetPortalException.InvalidParameter("all predefined address pools have been fully subnetted");
        var pool = new AddressPool(subnet, null);
        var gateway = PinDefaultGateway(pool);
        pool.Pool = new IpamPool(subnet.ToString(), null, pool.AddressAt(gateway).ToString(),
            SubnetRequested: false, GatewayRequested: false, new Dictionary<string, string>());
        return pool;
    }

    private static UInt128 PinDefaultGateway(AddressPool pool) =>
        pool.TryPinLowest(out var gateway)
            ? gateway
            : throw NetPortalException.Internal("failed to allocate gateway (): No available addresses on this pool");

    public void RestorePools(string networkId, IReadOnlyList<IpamPool> pools)
    {
        var restored = new List<AddressPool>();
        foreach (var p in pools)
        {
            var pool = new AddressPool(Cidr.Parse(p.Subnet), p.IPRange is null ? null : Cidr.Parse(p.IPRange)) { Pool = p };
            if (p.Gateway is not null) pool.Restore(Cidr.ToUInt128(IPAddress.Parse(p.Gateway)), pinned: true);
            foreach (var aux in p.AuxiliaryAddresses.Values)
                pool.Restore(Cidr.ToUInt128(IPAddress.Parse(aux)), pinned: true);
            restored.Add(pool);
        }
        lock (_lock) Register(networkId, restored);
    }

    public void ReleasePools(string networkId)
    {
        lock (_lock)
        {
            if (!_networks.Remove(networkId, out var pools)) return;
            foreach (var p in pools) _subnets = _subnets.Remove(p.Subnet);
        }
    }

    /// <summary>Records (or replaces) a network's pools and indexes their subnets; caller holds the lock.</summary>
    private void Register(string networkId, List<AddressPool> pools)
    {
        if (_networks.Remove(networkId, out var old))
            foreach (var p in old) _subnets = _subnets.Remove(p.Subnet);
        _networks[networkId] = pools;
        foreach (var p in pools) _subnets = _subnets.Add(p.Subnet);
    }

    public IPAddress RequestAddress(string networkId, bool ipv6, IPAddress? preferred)
    {
        lock (_lock)
        {
            var pools = PoolsOf(networkId).Where(p => p.Subnet.IsIPv6 == ipv6).ToList();
            if (preferred is not null)
            {
                var pool = FindPool(pools, preferred, out var value);
                if (!pool.TryAllocate(value)) throw NetPortalException.Forbidden(AddressInUse);
                return pool.AddressAt(value);
            }
            foreach (var pool in pools)
            {
                if (pool.TryAllocateNext(out var value)) return pool.AddressAt(value);
            }
            throw NetPortalException.Internal($"no available IPv{(ipv6 ? 6 : 4)} addresses on this network's address pools: {networkId}");
        }
    }

    /// <summary>Tolerates an address that is already marked (restoring twice is harmless).</summary>
    public void RestoreAddress(string networkId, IPAddress address)
    {
        lock (_lock)
        {
            var pool = FindPool(PoolsOf(networkId), address, out var value);
            pool.Restore(value, pinned: false);
        }
    }

    /// <summary>Idempotent: unknown networks, foreign or free addresses, the gateway and aux addresses are left alone.</summary>
    public void ReleaseAddress(string networkId, IPAddress address)
    {
        lock (_lock)
        {
            if (!_networks.TryGetValue(networkId, out var pools)) return;
            var normalized = Unmap(address);
            var value = Cidr.ToUInt128(normalized);
            pools.FirstOrDefault(p => p.Subnet.Contains(normalized))?.Release(value);
        }
    }

    public IReadOnlyList<SubnetUsage> Usage(string networkId)
    {
        lock (_lock)
        {
            return _networks.TryGetValue(networkId, out var pools)
                ? pools.Select(p => new SubnetUsage(p.Subnet.ToString(), p.InUse, p.DynamicAvailable)).ToList()
                : [];
        }
    }

    private List<AddressPool> PoolsOf(string networkId) =>
        _networks.TryGetValue(networkId, out var pools) ? pools : throw NetPortalException.NotFound($"network {networkId} not found");

    private static AddressPool FindPool(IEnumerable<AddressPool> pools, IPAddress address, out UInt128 value)
    {
        var normalized = Unmap(address);
        value = Cidr.ToUInt128(normalized);
        return pools.FirstOrDefault(p => p.Subnet.Contains(normalized))
            ?? throw NetPortalException.InvalidParameter($"no configured subnet or ip-range contain the IP address {address}");
    }

    // Go's netip Unmap: ::ffff:10.0.0.1 is the IPv4 address 10.0.0.1.
    private static IPAddress Unmap(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
