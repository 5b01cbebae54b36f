using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

public sealed partial class RouteNetlink
{
    // <linux/veth.h>: the IFLA_INFO_DATA of kind "veth" holds VETH_INFO_PEER, which is a struct ifinfomsg followed by
    // the peer's own IFLA_* attributes (veth_newlink parses them like a second RTM_NEWLINK). Nothing is inherited:
    // the peer gets the MTU only if it carries IFLA_MTU itself. Both ends get IFLA_TXQLEN 0 as Docker's do
    // (libnetwork passes LinkAttrs{TxQLen: 0} and vishvananda/netlink sends it for both ends). EEXIST names either end.
    // IFLA_NET_NS_FD among the peer's attributes creates that end directly in another namespace (rtnl_link_get_net):
    // far cheaper than moving it afterwards, since dev_change_net_namespace waits for an RCU grace period
    // (synchronize_net) - about 20 ms, against well under 1 ms for the whole creation.
    public void CreateVethPair(string name, string peerName, int mtu, int? peerNamespaceFd = null) =>
        Execute($"create veth pair {name} <=> {peerName}", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, CreateFlags, seq);
            w.WriteHeader(new ifinfomsg());
            w.AddString(Nl.IFLA_IFNAME, name);
            w.AddUInt32(Nl.IFLA_TXQLEN, 0);
            if (mtu > 0) w.AddUInt32(Nl.IFLA_MTU, (uint)mtu);
            var info = w.BeginNested(Nl.IFLA_LINKINFO);
            w.AddString(Nl.IFLA_INFO_KIND, "veth");
            var data = w.BeginNested(Nl.IFLA_INFO_DATA);
            var peer = w.BeginNested(Nl.VETH_INFO_PEER);
            w.WriteHeader(new ifinfomsg());
            w.AddString(Nl.IFLA_IFNAME, peerName);
            w.AddUInt32(Nl.IFLA_TXQLEN, 0);
            if (mtu > 0) w.AddUInt32(Nl.IFLA_MTU, (uint)mtu);
            if (peerNamespaceFd is { } fd) w.AddUInt32(Nl.IFLA_NET_NS_FD, (uint)fd);
            w.EndNested(peer);
            w.EndNested(data);
            w.EndNested(info);
        });

    // IFLA_MASTER takes the master's ifindex (0 would release the port); do_setlink calls the bridge's
    // ndo_add_slave, which refuses a master in another namespace, so both must live here.
    public void SetMaster(string name, string masterName)
    {
        var op = $"set master of {name} to {masterName}";
        var master = GetLink(masterName) ?? throw new NetlinkException(Errno.ENODEV, op);
        Execute(op, (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, ChangeFlags, seq);
            w.WriteHeader(new ifinfomsg());
            w.AddString(Nl.IFLA_IFNAME, name);
            w.AddUInt32(Nl.IFLA_MASTER, (uint)master.Index);
        });
    }

    // IFLA_NET_NS_FD is an open file of the target namespace (nsfs: /proc/PID/ns/net or a bind mount of it); the
    // kernel takes its own reference, so the caller may close the fd afterwards. The device keeps its name and
    // usually its ifindex, and is set down by the move; its addresses are flushed. The move waits for an RCU grace
    // period (synchronize_net in dev_change_net_namespace), so it costs milliseconds, not microseconds.
    public void SetNetworkNamespace(string name, int namespaceFd) =>
        Execute($"set namespace of {name}", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, ChangeFlags, seq);
            w.WriteHeader(new ifinfomsg());
            w.AddString(Nl.IFLA_IFNAME, name);
            w.AddUInt32(Nl.IFLA_NET_NS_FD, (uint)namespaceFd);
        });

    // With ifi_index set, IFLA_IFNAME is the new name (dev_change_name); kernels before 6.2 refuse a device that is up (EBUSY).
    public void SetName(string name, string newName)
    {
        var op = $"rename link {name} to {newName}";
        var link = GetLink(name) ?? throw new NetlinkException(Errno.ENODEV, op);
        Execute(op, (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, ChangeFlags, seq);
            w.WriteHeader(new ifinfomsg { ifi_index = link.Index });
            w.AddString(Nl.IFLA_IFNAME, newName);
        });
    }

    // IFLA_ADDRESS must be dev->addr_len bytes (6 for Ethernet); the kernel refuses multicast addresses (EADDRNOTAVAIL).
    public void SetMacAddress(string name, byte[] macAddress) =>
        Execute($"set address of {name}", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, ChangeFlags, seq);
            w.WriteHeader(new ifinfomsg());
            w.AddString(Nl.IFLA_IFNAME, name);
            w.AddAttribute(Nl.IFLA_ADDRESS, macAddress);
        });
}
