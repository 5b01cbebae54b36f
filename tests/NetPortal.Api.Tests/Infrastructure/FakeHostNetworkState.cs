using NetPortal.Core.Drivers;
using NetPortal.Core.Ipam;

namespace NetPortal.Api.Tests.Infrastructure;

/// <summary>The managed namespace's addresses and routes, as a test sets them.</summary>
public sealed class FakeHostNetworkState : IHostNetworkState
{
    private volatile IReadOnlyList<HostPrefix> _prefixes = [];

    public void SetPrefixes(params string[] cidrs) =>
        _prefixes = cidrs.Select(c => new HostPrefix(Cidr.Parse(c), "eth0", "address")).ToList();

    public IReadOnlyList<HostPrefix> GetOccupiedPrefixes() => _prefixes;
}
