using System.Net;

namespace NetPortal.Linux.Netlink;

/// <summary>The rtnetlink operations the drivers need, in one namespace. Synchronous: a round trip takes microseconds.</summary>
public interface IRouteNetlink
{
    /// <summary>The link named <paramref name="name"/>, or null when there is none.</summary>
    LinkInfo? GetLink(string name);
    IReadOnlyList<LinkInfo> DumpLinks();
    /// <summary>Creates a bridge; throws NetlinkException EEXIST when the name is taken.</summary>
    void CreateBridge(string name, int mtu);
    void DeleteLink(string name);
    void SetUp(string name);
    void SetMtu(string name, int mtu);
    /// <summary>Adds an address; throws NetlinkException EEXIST when it is already there.</summary>
    void AddAddress(string linkName, IPAddress address, int prefixLength);
    void DeleteAddress(string linkName, IPAddress address, int prefixLength);
    IReadOnlyList<AddressInfo> DumpAddresses();
    /// <summary>Routes of the main table, IPv4 and IPv6.</summary>
    IReadOnlyList<RouteInfo> DumpRoutes();
}
