using NetPortal.Core.Ipam;

namespace NetPortal.Core.Drivers;

/// <summary>Read-only view of the managed namespace's addresses and routes, for overlap checks.</summary>
public interface IHostNetworkState
{
    /// <summary>Prefixes of interface addresses and of non-default routes currently in the managed namespace.</summary>
    IReadOnlyList<HostPrefix> GetOccupiedPrefixes();

    /// <summary>
    /// The same prefixes (without /0) as an index for IPAM overlap checks, reflecting every change the kernel made
    /// before the call. An implementation that keeps the index up to date answers without asking the kernel, so a
    /// network create costs the same with 5 or 500 networks; this default builds it from a fresh read.
    /// </summary>
    PrefixIndex GetOccupiedIndex() => PrefixIndex.Of(GetOccupiedPrefixes().Select(p => p.Prefix).Where(p => p.PrefixLength > 0));
}

/// <summary>A prefix found in the managed namespace: an address's subnet or a route's destination.</summary>
public sealed record HostPrefix(Cidr Prefix, string Device, string Kind);
