using System.Net;
using NetPortal.Core.Errors;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Macvlan;

public sealed partial class MacvlanDriver
{
    /// <summary>An IPAM auxiliary address of this name is used as the shim's host address.</summary>
    public const string ShimAuxName = "netportal-shim";

    private const uint BridgeMode = 4; // MACVLAN_MODE_BRIDGE: siblings (the containers) switch frames to each other

    /// <summary>The shim's link name in the managed namespace: "npshim" + 9 hex of the id (IFNAMSIZ-1 = 15 bytes).</summary>
    public static string ShimName(Network network) => "npshim" + network.Id[..9];

    /// <summary>
    /// The shim's address per pool: the aux address "netportal-shim" if given (IPAM reserved it with the network),
    /// else the last usable address of the subnet (IPv4: below broadcast), reserved here.
    /// </summary>
    internal static IReadOnlyList<(IPAddress Address, int PrefixLength, bool FromAux)> ShimAddresses(Network network)
    {
        var list = new List<(IPAddress, int, bool)>();
        foreach (var pool in network.Pools)
        {
            if (pool.IsIPv6 ? !network.EnableIPv6 : !network.EnableIPv4) continue;
            var subnet = Cidr.Parse(pool.Subnet);
            if (pool.AuxiliaryAddresses.TryGetValue(ShimAuxName, out var aux))
            {
                list.Add((IPAddress.Parse(aux), subnet.PrefixLength, true));
                continue;
            }
            var last = subnet.IsIPv6 ? subnet.Last : subnet.Last - 1;
            list.Add((subnet.AddressAt(last), subnet.PrefixLength, false));
        }
        return list;
    }

    private void ReserveShimAddresses(Network network, bool restore)
    {
        foreach (var (address, _, fromAux) in ShimAddresses(network))
        {
            if (fromAux) continue;
            if (restore) ipam.RestoreAddress(network.Id, address);
            else ipam.RequestAddress(network.Id, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6, address);
        }
    }

    /// <summary>
    /// A macvlan (bridge mode) of the parent in the managed namespace holding the host address with the subnet's
    /// prefix: the kernel then adds the connected route to the subnet via the shim, so the managed namespace reaches
    /// the containers through a sibling of theirs. Marked with <see cref="ParentLink.CreatedGroup"/> like created parents.
    /// </summary>
    private void CreateShim(Network network, string parent, bool reserve = true)
    {
        var name = ShimName(network);
        if (reserve) ReserveShimAddresses(network, restore: false);
        try
        {
            netlink.CreateMacvlan(name, parent, BridgeMode, null, ParentLink.CreatedGroup);
        }
        catch (NetlinkException e)
        {
            throw NetPortalException.Internal($"failed to create the macvlan host shim {name} on {parent}: {e.Description}", e);
        }
        try
        {
            foreach (var (address, prefixLength, _) in ShimAddresses(network))
            {
                // No DAD for IPv6: IPAM owns the address, and a tentative one would not route for about a second.
                if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) netlink.AddAddressNoDad(name, address, prefixLength);
                else netlink.AddAddress(name, address, prefixLength);
            }
            netlink.SetUp(name);
        }
        catch (NetlinkException e)
        {
            try { netlink.DeleteLink(name); }
            catch (NetlinkException) { }
            throw NetPortalException.Internal($"failed to configure the macvlan host shim {name}: {e.Description}", e);
        }
    }

    /// <summary>Deletes the shim (its addresses and connected routes go with it); the pools release the addresses.</summary>
    private void DeleteShim(Network network)
    {
        var name = ShimName(network);
        var link = netlink.GetLink(name);
        if (link is null || link.Group != ParentLink.CreatedGroup) return;
        try
        {
            netlink.DeleteLink(name);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
        }
    }
}
