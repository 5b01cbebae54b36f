namespace NetPortal.Linux.Interop;

#pragma warning disable IDE1006

/// <summary>Values from linux/netlink.h, linux/rtnetlink.h, linux/if_link.h and linux/if_addr.h that Tmds.LibC lacks.</summary>
internal static class Nl
{
    public const int NETLINK_ROUTE = 0;

    public const ushort NLMSG_NOOP = 1, NLMSG_ERROR = 2, NLMSG_DONE = 3;

    public const ushort NLM_F_REQUEST = 0x1, NLM_F_MULTI = 0x2, NLM_F_ACK = 0x4, NLM_F_DUMP_INTR = 0x10;
    public const ushort NLM_F_ROOT = 0x100, NLM_F_MATCH = 0x200, NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public const ushort NLM_F_REPLACE = 0x100, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;

    public const ushort RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18;
    public const ushort RTM_NEWADDR = 20, RTM_DELADDR = 21, RTM_GETADDR = 22;
    public const ushort RTM_NEWROUTE = 24, RTM_DELROUTE = 25, RTM_GETROUTE = 26;

    public const ushort IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_MASTER = 10, IFLA_LINKINFO = 18, IFLA_GROUP = 27;
    public const ushort IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2;

    public const ushort IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_LABEL = 3, IFA_BROADCAST = 4;

    // Endpoint plumbing: <linux/if_link.h> IFLA_TXQLEN/IFLA_NET_NS_FD, <linux/veth.h> VETH_INFO_PEER, <linux/if_addr.h> IFA_F_NODAD.
    public const ushort IFLA_TXQLEN = 13, IFLA_NET_NS_FD = 28, VETH_INFO_PEER = 1;
    public const byte IFA_F_NODAD = 0x02;

    public const ushort RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_TABLE = 15;
    public const byte RT_TABLE_MAIN = 254, RT_TABLE_LOCAL = 255;

    public const uint IFF_UP = 0x1;

    public const byte AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10;

    /// <summary>Upper bits of nla_type are NLA_F_NESTED / NLA_F_NET_BYTEORDER flags, not part of the type.</summary>
    public const ushort NLA_TYPE_MASK = 0x3fff;
    public const ushort NLA_F_NESTED = 0x8000;

    /// <summary>IFNAMSIZ includes the terminating NUL.</summary>
    public const int IFNAMSIZ = 16;
}
