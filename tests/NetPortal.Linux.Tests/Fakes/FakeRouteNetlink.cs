using System.Net;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Tests.Fakes;

/// <summary>
/// Links and addresses in memory, with the kernel's errnos for impossible sequences
/// (duplicate link or address → EEXIST, missing link → ENODEV, missing address → EADDRNOTAVAIL).
/// </summary>
public sealed class FakeRouteNetlink : IRouteNetlink
{
    private readonly Dictionary<string, LinkInfo> _links = new(StringComparer.Ordinal);
    private readonly List<AddressInfo> _addresses = [];
    private int _nextIndex = 2;

    public FakeRouteNetlink() => _links["lo"] = new LinkInfo("lo", 1, "", 65536, false, "00:00:00:00:00:00", 0);

    /// <summary>Operation log, e.g. "create br-x", "addr br-x 10.0.0.1/24", "up br-x", "delete br-x".</summary>
    public List<string> Calls { get; } = [];
    public List<RouteInfo> Routes { get; } = [];
    /// <summary>Return an errno to make the operation whose log line starts with a given prefix fail.</summary>
    public Func<string, int?> FailWhen { get; set; } = _ => null;

    public IReadOnlyDictionary<string, LinkInfo> Links => _links;
    public IReadOnlyList<AddressInfo> Addresses => _addresses;

    public void AddExistingLink(string name, string kind, bool up = false, int mtu = 1500) =>
        _links[name] = new LinkInfo(name, _nextIndex++, kind, mtu, up, "02:42:00:00:00:01", 0);

    public LinkInfo? GetLink(string name) => _links.GetValueOrDefault(name);
    public IReadOnlyList<LinkInfo> DumpLinks() => [.. _links.Values];
    public IReadOnlyList<AddressInfo> DumpAddresses() => [.. _addresses];
    public IReadOnlyList<RouteInfo> DumpRoutes() => [.. Routes];

    public void CreateBridge(string name, int mtu)
    {
        Log($"create {name}");
        if (_links.ContainsKey(name)) throw new NetlinkException(Errno.EEXIST, $"create bridge {name}");
        _links[name] = new LinkInfo(name, _nextIndex++, "bridge", mtu > 0 ? mtu : 1500, false, "02:42:00:00:00:02", 0);
    }

    public void DeleteLink(string name)
    {
        Log($"delete {name}");
        var link = Require(name);
        _links.Remove(name);
        _addresses.RemoveAll(a => a.LinkIndex == link.Index);
    }

    public void SetUp(string name)
    {
        Log($"up {name}");
        _links[name] = Require(name) with { Up = true };
    }

    public void SetMtu(string name, int mtu)
    {
        Log($"mtu {name} {mtu}");
        _links[name] = Require(name) with { Mtu = mtu };
    }

    public void AddAddress(string linkName, IPAddress address, int prefixLength)
    {
        Log($"addr {linkName} {address}/{prefixLength}");
        var link = Require(linkName);
        if (_addresses.Any(a => a.LinkIndex == link.Index && a.Address.Equals(address)))
            throw new NetlinkException(Errno.EEXIST, $"add address {address}");
        _addresses.Add(new AddressInfo(link.Index, address.AddressFamily, address, prefixLength));
    }

    public void DeleteAddress(string linkName, IPAddress address, int prefixLength)
    {
        Log($"deladdr {linkName} {address}/{prefixLength}");
        var link = Require(linkName);
        if (_addresses.RemoveAll(a => a.LinkIndex == link.Index && a.Address.Equals(address) && a.PrefixLength == prefixLength) == 0)
            throw new NetlinkException(Errno.EADDRNOTAVAIL, $"delete address {address}");
    }

    private LinkInfo Require(string name) =>
        _links.GetValueOrDefault(name) ?? throw new NetlinkException(Errno.ENODEV, $"link {name}");

    private void Log(string call)
    {
        if (FailWhen(call) is { } errno) throw new NetlinkException(errno, call);
        Calls.Add(call);
    }

}
