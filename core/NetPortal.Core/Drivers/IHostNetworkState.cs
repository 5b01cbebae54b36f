using NetPortal.Core.Ipam;

namespace NetPortal.Core.Drivers;

/// <summary>Read-only view of the managed namespace's addresses and routes, for overlap checks.</summary>
public interface IHostNetworkState
{
    /// <summary>Prefixes of interface addresses and of non-default routes currently in the managed namespace.</summary>
    IReadOnlyList<HostPrefix> GetOccupiedPrefixes();
}

/// <summary>A prefix found in the managed namespace: an address's subnet or a route's destination.</summary>
public sealed record HostPrefix(Cidr Prefix, string Device, string Kind);
