using System.Net;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Ipam;

/// <summary>
/// Docker's default IPAM: pools per address space and addresses per pool. Holds state in memory;
/// the owner persists the networks (pools) and endpoint addresses and calls <see cref="RestorePools"/> and <see cref="RestoreAddress"/> at start.
/// Local-scope networks use the local address space; a global-scope store can feed a second instance.
/// </summary>
public interface IIpam
{
    /// <summary>
    /// Checks the requested configs (Docker's ValidateIPAM messages, 400), then resolves them: explicit subnets
    /// must not overlap existing pools (403) nor <paramref name="hostPrefixes"/>; without an IPv4 subnet one is
    /// picked from the default pools skipping anything that overlaps. Gateways default to the first host address.
    /// Reserves the pools and their gateway/aux addresses under <paramref name="networkId"/>.
    /// </summary>
    IReadOnlyList<IpamPool> RequestPools(string networkId, IReadOnlyList<IpamPoolRequest> requests, bool enableIPv4, bool enableIPv6, IReadOnlyList<Cidr> hostPrefixes);

    /// <summary>
    /// As above with the host prefixes already indexed (the managed namespace's snapshot): every overlap check is
    /// O(log n) in the number of networks and host prefixes. Default routes (/0) must not be in the index.
    /// </summary>
    IReadOnlyList<IpamPool> RequestPools(string networkId, IReadOnlyList<IpamPoolRequest> requests, bool enableIPv4, bool enableIPv6, PrefixIndex hostPrefixes);

    /// <summary>Registers already-resolved pools (predefined networks, restart) without validation.</summary>
    void RestorePools(string networkId, IReadOnlyList<IpamPool> pools);

    /// <summary>Frees the network's pools and every address in them; unknown ids are ignored.</summary>
    void ReleasePools(string networkId);

    /// <summary>
    /// Hands out <paramref name="preferred"/> (403 "Address already in use" if taken) or the next free address of the
    /// network's pool of that family (from its IPRange when set), never network/broadcast/gateway/aux addresses.
    /// </summary>
    IPAddress RequestAddress(string networkId, bool ipv6, IPAddress? preferred);

    /// <summary>Marks an address allocated again at start-up.</summary>
    void RestoreAddress(string networkId, IPAddress address);

    void ReleaseAddress(string networkId, IPAddress address);

    /// <summary>Addresses in use and available per subnet (for inspect Status and the dashboard).</summary>
    IReadOnlyList<SubnetUsage> Usage(string networkId);
}

/// <summary>Per-subnet counts; DynamicAvailable counts only what dynamic allocation can still hand out.</summary>
public sealed record SubnetUsage(string Subnet, UInt128 InUse, UInt128 DynamicAvailable);
