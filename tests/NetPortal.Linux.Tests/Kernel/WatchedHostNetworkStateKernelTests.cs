using NetPortal.Core.Errors;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Namespaces;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Tests.Kernel;

/// <summary>
/// The notification-fed copy of the managed namespace's prefixes, in a scratch namespace changed with `ip -n`
/// (another process): each change must be visible at the next read, without a re-dump.
/// </summary>
public sealed class WatchedHostNetworkStateKernelTests : IDisposable
{
    private readonly ScratchNamespace _ns = new();
    private readonly WatchedHostNetworkState _state;

    public WatchedHostNetworkStateKernelTests()
    {
        _state = WatchedHostNetworkState.Open(_ns.Namespace);
    }

    public void Dispose()
    {
        _state.Dispose();
        _ns.Dispose();
    }

    private void IpN(params string[] args) => Ip.Must(["-n", _ns.Name, .. args]);

    private static Cidr C(string text) => Cidr.Parse(text);

    [KernelFact]
    public void AddressesAndRoutesAddedAfterStart_AreSeen_WithoutReDump()
    {
        Assert.Equal(1, _state.Resyncs);
        Assert.Null(_state.GetOccupiedIndex().FindOverlap(C("10.123.0.0/16")));

        IpN("link", "add", "npd0", "type", "bridge");
        IpN("link", "set", "npd0", "up");
        IpN("addr", "add", "10.123.4.1/24", "dev", "npd0");
        IpN("addr", "add", "fd12:3::1/64", "dev", "npd0", "nodad");
        IpN("route", "add", "10.200.0.0/16", "dev", "npd0");

        var index = _state.GetOccupiedIndex();
        Assert.Equal(C("10.123.4.0/24"), index.FindOverlap(C("10.123.0.0/16")));
        Assert.Equal(C("10.123.4.0/24"), index.FindOverlap(C("10.123.4.128/25")));
        Assert.Equal(C("fd12:3::/64"), index.FindOverlap(C("fd12:3::/48")));
        Assert.Equal(C("10.200.0.0/16"), index.FindOverlap(C("10.200.7.0/24")));
        Assert.Null(index.FindOverlap(C("10.124.0.0/16")));
        Assert.Equal(1, _state.Resyncs);

        IpN("route", "del", "10.200.0.0/16", "dev", "npd0");
        IpN("addr", "del", "10.123.4.1/24", "dev", "npd0");
        index = _state.GetOccupiedIndex();
        Assert.Null(index.FindOverlap(C("10.200.0.0/16")));
        Assert.Null(index.FindOverlap(C("10.123.0.0/16")));
        Assert.NotNull(index.FindOverlap(C("fd12:3::/64")));
        Assert.Equal(1, _state.Resyncs);
    }

    [KernelFact]
    public void LinkDownAndDelete_DropTheRoutesIPv4FlushesSilently()
    {
        IpN("link", "add", "npd1", "type", "bridge");
        IpN("link", "set", "npd1", "up");
        IpN("addr", "add", "10.131.0.1/24", "dev", "npd1");
        IpN("route", "add", "10.132.0.0/16", "dev", "npd1");
        Assert.NotNull(_state.GetOccupiedIndex().FindOverlap(C("10.132.0.0/16")));

        // Down: the kernel removes the routes through the device (no RTM_DELROUTE for IPv4), the address stays.
        IpN("link", "set", "npd1", "down");
        var index = _state.GetOccupiedIndex();
        Assert.Null(index.FindOverlap(C("10.132.0.0/16")));
        Assert.Equal(C("10.131.0.0/24"), index.FindOverlap(C("10.131.0.0/24")));
        Assert.Equal(Kernel(), Cached());

        IpN("link", "set", "npd1", "up");
        IpN("route", "add", "10.132.0.0/16", "dev", "npd1");
        Assert.NotNull(_state.GetOccupiedIndex().FindOverlap(C("10.132.0.0/16")));

        IpN("link", "del", "npd1");
        index = _state.GetOccupiedIndex();
        Assert.Null(index.FindOverlap(C("10.131.0.0/24")));
        Assert.Null(index.FindOverlap(C("10.132.0.0/16")));
        Assert.Equal(Kernel(), Cached());
        Assert.Equal(1, _state.Resyncs);
    }

    [KernelFact]
    public void GetOccupiedPrefixes_NamesDevices_AndMatchesAFreshDump()
    {
        IpN("link", "add", "npd2", "type", "bridge");
        IpN("addr", "add", "10.141.0.1/24", "dev", "npd2");
        IpN("link", "set", "npd2", "up");
        IpN("link", "set", "npd2", "name", "npd2renamed");

        var prefixes = _state.GetOccupiedPrefixes();
        Assert.Contains(prefixes, p => p.Prefix == C("10.141.0.0/24") && p.Device == "npd2renamed" && p.Kind == "address");
        Assert.Contains(prefixes, p => p.Prefix == C("10.141.0.0/24") && p.Device == "npd2renamed" && p.Kind == "route");
        Assert.DoesNotContain(prefixes, p => p.Prefix.ToString().StartsWith("127.") || p.Prefix.ToString().StartsWith("fe80"));
        using var nl = _ns.Namespace.OpenRouteNetlink();
        Assert.Equal(
            new HostNetworkState(nl).GetOccupiedPrefixes().Select(p => p.ToString()).Order(),
            prefixes.Select(p => p.ToString()).Order());
    }

    [KernelFact]
    public void Ipam_RefusesASubnetOverlappingAnAddressAddedAfterStart()
    {
        var ipam = new DefaultIpam(null);
        IpN("link", "add", "npd3", "type", "bridge");
        IpN("link", "set", "npd3", "up");
        IpN("addr", "add", "10.151.2.1/24", "dev", "npd3");

        var e = Assert.Throws<NetPortalException>(() => ipam.RequestPools("n1", [new IpamPoolRequest("10.151.0.0/16", null, null, null)],
            enableIPv4: true, enableIPv6: false, _state.GetOccupiedIndex()));
        Assert.Equal(ErrorKind.Forbidden, e.Kind);
        Assert.Equal("invalid pool request: subnet 10.151.0.0/16 overlaps with 10.151.2.0/24 present in the managed namespace", e.Message);

        IpN("addr", "del", "10.151.2.1/24", "dev", "npd3");
        var pools = ipam.RequestPools("n1", [new IpamPoolRequest("10.151.0.0/16", null, null, null)],
            enableIPv4: true, enableIPv6: false, _state.GetOccupiedIndex());
        Assert.Equal("10.151.0.0/16", pools.Single().Subnet);
    }

    [KernelFact]
    public void LostNotifications_ENOBUFS_TriggersAFullReRead()
    {
        using var nl = _ns.Namespace.OpenRouteNetlink();
        var lossy = new LossyNotifications();
        using var state = new WatchedHostNetworkState(lossy, nl, ownsNetlink: false);
        Assert.Equal(1, state.Resyncs);

        IpN("link", "add", "npd4", "type", "bridge");
        IpN("link", "set", "npd4", "up");
        IpN("addr", "add", "10.161.0.1/24", "dev", "npd4");
        // The notifications never arrive: the copy does not know (what overflow looks like before the kernel says so).
        Assert.Null(state.GetOccupiedIndex().FindOverlap(C("10.161.0.0/24")));

        lossy.Overflow = true;
        Assert.Equal(C("10.161.0.0/24"), state.GetOccupiedIndex().FindOverlap(C("10.161.0.0/24")));
        Assert.Equal(2, state.Resyncs);
    }

    /// <summary>Distinct prefixes of a fresh dump (the uncached reader).</summary>
    private List<string> Kernel()
    {
        using var nl = _ns.Namespace.OpenRouteNetlink();
        return new HostNetworkState(nl).GetOccupiedPrefixes().Select(p => p.Prefix.ToString()).Distinct().Order().ToList();
    }

    private List<string> Cached() => _state.GetOccupiedIndex().Prefixes.Select(p => p.ToString()).Order().ToList();

    /// <summary>Delivers nothing; once <see cref="Overflow"/> is set, reports ENOBUFS once as the kernel does.</summary>
    private sealed class LossyNotifications : IRouteNotifications
    {
        public bool Overflow { get; set; }

        public int TryReceive(Span<byte> buffer)
        {
            if (!Overflow) return 0;
            Overflow = false;
            throw new NetlinkException(Errno.ENOBUFS, "recv(netlink notifications)");
        }

        public void Dispose() { }
    }
}
