using System.Buffers.Binary;
using System.Net.Sockets;
using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

public sealed partial class RouteNetlink
{
    // <linux/if_link.h>: IFLA_IPVLAN_MODE and IFLA_IPVLAN_FLAGS are u16 in IFLA_INFO_DATA of kind "ipvlan".
    internal const ushort IFLA_IPVLAN_MODE = 1, IFLA_IPVLAN_FLAGS = 2;
    private const byte RT_SCOPE_LINK = 253;

    // Like macvlan, ipvlan_link_new resolves IFLA_LINK in the socket's namespace and registers the device in the
    // IFLA_NET_NS_FD one. EOPNOTSUPP when the kernel has no ipvlan.
    public void CreateIpvlan(string name, string parentName, ushort mode, ushort flags, int? namespaceFd = null)
    {
        var op = $"create ipvlan {name} on {parentName}";
        var parent = GetLink(parentName) ?? throw new NetlinkException(Errno.ENODEV, op);
        Execute(op, (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, CreateFlags, seq);
            w.WriteHeader(new ifinfomsg());
            w.AddString(Nl.IFLA_IFNAME, name);
            w.AddUInt32(IFLA_LINK, (uint)parent.Index);
            if (namespaceFd is { } fd) w.AddUInt32(Nl.IFLA_NET_NS_FD, (uint)fd);
            var info = w.BeginNested(Nl.IFLA_LINKINFO);
            w.AddString(Nl.IFLA_INFO_KIND, "ipvlan");
            var data = w.BeginNested(Nl.IFLA_INFO_DATA);
            Span<byte> v = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(v, mode);
            w.AddAttribute(IFLA_IPVLAN_MODE, v);
            BinaryPrimitives.WriteUInt16LittleEndian(v, flags);
            w.AddAttribute(IFLA_IPVLAN_FLAGS, v);
            w.EndNested(data);
            w.EndNested(info);
        });
    }

    // `ip route replace default dev LINK`: a scope-link default route without a gateway. ipvlan L3 routes everything
    // at the parent's stack (there is no L2 neighbour to ARP for), so Docker's l3 mode uses this instead of a gateway.
    public void ReplaceDefaultDeviceRoute(string linkName, AddressFamily family)
    {
        var op = $"replace default route dev {linkName}";
        var link = GetLink(linkName) ?? throw new NetlinkException(Errno.ENODEV, op);
        var v4 = family == AddressFamily.InterNetwork;
        Execute(op, (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWROUTE, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, seq);
            w.WriteHeader(new rtmsg
            {
                rtm_family = v4 ? Nl.AF_INET : Nl.AF_INET6,
                rtm_table = Nl.RT_TABLE_MAIN,
                rtm_protocol = RTPROT_BOOT,
                rtm_scope = RT_SCOPE_LINK,
                rtm_type = RTN_UNICAST,
            });
            w.AddUInt32(Nl.RTA_OIF, (uint)link.Index);
        });
    }
}
