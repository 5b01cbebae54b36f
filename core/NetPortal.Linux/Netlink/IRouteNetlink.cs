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

    /// <summary>
    /// Turns a retired bridge (down, no addresses, renamed into a tombstone group) back into a fresh one: renamed to
    /// <paramref name="name"/>, back in group 0, with the MTU (1500 when 0) and a new random MAC, as CreateBridge makes it.
    /// </summary>
    void ReviveBridge(string tombstone, string name, int mtu);
    void DeleteLink(string name);
    void SetUp(string name);
    void SetDown(string name);
    /// <summary>
    /// Renames the link and moves it to IFLA_GROUP <paramref name="group"/> in one request; <paramref name="newName"/>
    /// must be free (EEXIST otherwise), and kernels before 6.2 also want the link down (EBUSY otherwise).
    /// </summary>
    void SetLinkName(string name, string newName, uint group);
    /// <summary>Deletes every link of IFLA_GROUP <paramref name="group"/> in one request (`ip link del group N`); ENODEV when there is none.</summary>
    void DeleteLinkGroup(uint group);
    void SetMtu(string name, int mtu);
    /// <summary>Adds an address; throws NetlinkException EEXIST when it is already there.</summary>
    void AddAddress(string linkName, IPAddress address, int prefixLength);
    void DeleteAddress(string linkName, IPAddress address, int prefixLength);
    IReadOnlyList<AddressInfo> DumpAddresses();
    /// <summary>Routes of the main table, IPv4 and IPv6.</summary>
    IReadOnlyList<RouteInfo> DumpRoutes();
    /// <summary>
    /// Creates a veth pair, both ends down with txqlen 0 (as Docker's); EEXIST when either name is taken. With
    /// <paramref name="peerNamespaceFd"/> (an open namespace file) the peer is born in that namespace.
    /// </summary>
    void CreateVethPair(string name, string peerName, int mtu, int? peerNamespaceFd = null);
    /// <summary>Makes the link a port of <paramref name="masterName"/> (IFLA_MASTER); ENODEV when either is missing.</summary>
    void SetMaster(string name, string masterName);
    /// <summary>Moves the link into the namespace behind the open nsfs file descriptor (IFLA_NET_NS_FD); it arrives down.</summary>
    void SetNetworkNamespace(string name, int namespaceFd);
    /// <summary>Renames a link; <paramref name="newName"/> must be free (EEXIST otherwise), and kernels before 6.2 also want the link down (EBUSY).</summary>
    void SetName(string name, string newName);
    void SetMacAddress(string name, byte[] macAddress);
    /// <summary>Adds an address with IFA_F_NODAD (usable at once, never "tentative"); EEXIST when it is already there.</summary>
    void AddAddressNoDad(string linkName, IPAddress address, int prefixLength);
    /// <summary>Creates a macvlan of <paramref name="parentName"/> (a link of this namespace), born in the namespace behind <paramref name="namespaceFd"/> if given; EOPNOTSUPP without macvlan.</summary>
    void CreateMacvlan(string name, string parentName, uint mode, int? namespaceFd = null, uint group = 0);
    /// <summary>Creates an 802.1Q subinterface of <paramref name="parentName"/>; EOPNOTSUPP when the kernel lacks 8021q.</summary>
    void CreateVlan(string name, string parentName, ushort vlanId, uint group = 0);
    /// <summary>Creates a dummy link in IFLA_GROUP <paramref name="group"/>; EOPNOTSUPP when the kernel lacks the dummy driver.</summary>
    void CreateDummy(string name, uint group);
    /// <summary>Creates an ipvlan of <paramref name="parentName"/> like <see cref="CreateMacvlan"/>; EOPNOTSUPP when the kernel lacks ipvlan.</summary>
    void CreateIpvlan(string name, string parentName, ushort mode, ushort flags, int? namespaceFd = null);
    /// <summary>Sets the family's main-table default route to go out of <paramref name="linkName"/> without a gateway (scope link).</summary>
    void ReplaceDefaultDeviceRoute(string linkName, System.Net.Sockets.AddressFamily family);
}
