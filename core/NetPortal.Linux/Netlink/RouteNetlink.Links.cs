using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

public sealed partial class RouteNetlink
{
    private const ushort CreateFlags = Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL;
    private const ushort ChangeFlags = Nl.NLM_F_REQUEST | Nl.NLM_F_ACK;

    public LinkInfo? GetLink(string name)
    {
        LinkInfo? found = null;
        try
        {
            Exchange($"get link {name}", (ref NetlinkWriter w, uint seq) =>
            {
                w.BeginMessage(Nl.RTM_GETLINK, Nl.NLM_F_REQUEST, seq);
                w.WriteHeader(new ifinfomsg());
                w.AddString(Nl.IFLA_IFNAME, name);
            }, (in NetlinkMessage m) => found = ParseLink(m), dump: false);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return null;
        }
        return found;
    }

    public IReadOnlyList<LinkInfo> DumpLinks()
    {
        var links = new List<LinkInfo>();
        Exchange("dump links", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_GETLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, seq);
            w.WriteHeader(new ifinfomsg());
        }, (in NetlinkMessage m) => { if (m.Type == Nl.RTM_NEWLINK) links.Add(ParseLink(m)); }, dump: true);
        return links;
    }

    // As dockerd (setupDevice), the bridge gets a random locally administered MAC at creation. Without one the
    // kernel gives the bridge the lowest MAC among its ports and changes it when that port leaves: the gateway's
    // MAC then changes under the other containers, whose ARP entries point at the old one until they expire.
    public void CreateBridge(string name, int mtu)
    {
        var mac = RandomMac();
        Execute($"create bridge {name}", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, CreateFlags, seq);
            w.WriteHeader(new ifinfomsg());
            w.AddString(Nl.IFLA_IFNAME, name);
            w.AddAttribute(Nl.IFLA_ADDRESS, mac);
            if (mtu > 0) w.AddUInt32(Nl.IFLA_MTU, (uint)mtu);
            var info = w.BeginNested(Nl.IFLA_LINKINFO);
            w.AddString(Nl.IFLA_INFO_KIND, "bridge");
            w.EndNested(info);
        });
    }

    // One request by ifindex: name, group, MTU and MAC change together or not at all.
    public void ReviveBridge(string tombstone, string name, int mtu)
    {
        var op = $"revive bridge {tombstone} as {name}";
        var link = GetLink(tombstone) ?? throw new NetlinkException(Errno.ENODEV, op);
        if (link.Kind != "bridge") throw new NetlinkException(Errno.EINVAL, op);
        var mac = RandomMac();
        Execute(op, (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, ChangeFlags, seq);
            w.WriteHeader(new ifinfomsg { ifi_index = link.Index });
            w.AddString(Nl.IFLA_IFNAME, name);
            w.AddUInt32(Nl.IFLA_GROUP, 0);
            w.AddUInt32(Nl.IFLA_MTU, (uint)(mtu > 0 ? mtu : 1500));
            w.AddAttribute(Nl.IFLA_ADDRESS, mac);
        });
    }

    private static byte[] RandomMac()
    {
        var mac = new byte[6];
        Random.Shared.NextBytes(mac);
        mac[0] = (byte)((mac[0] & 0xfe) | 0x02);
        return mac;
    }

    // Since Linux 2.6.33 RTM_DELLINK/RTM_NEWLINK resolve the device by IFLA_IFNAME when ifi_index is 0.
    public void DeleteLink(string name) =>
        Execute($"delete link {name}", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_DELLINK, ChangeFlags, seq);
            w.WriteHeader(new ifinfomsg());
            w.AddString(Nl.IFLA_IFNAME, name);
        });

    // ifi_change masks which ifi_flags bits the kernel applies; everything else stays as is.
    public void SetUp(string name) =>
        Execute($"set link {name} up", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, ChangeFlags, seq);
            w.WriteHeader(new ifinfomsg { ifi_flags = Nl.IFF_UP, ifi_change = Nl.IFF_UP });
            w.AddString(Nl.IFLA_IFNAME, name);
        });

    public void SetDown(string name) =>
        Execute($"set link {name} down", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, ChangeFlags, seq);
            w.WriteHeader(new ifinfomsg { ifi_flags = 0, ifi_change = Nl.IFF_UP });
            w.AddString(Nl.IFLA_IFNAME, name);
        });

    // A rename must address the device by ifi_index: IFLA_IFNAME then carries the new name. do_setlink applies
    // the name before IFLA_GROUP, and before Linux 6.2 dev_change_name refuses a device that is up (EBUSY), so
    // callers set it down first; both attributes go in one request, so no crash can leave a renamed device
    // outside the group.
    public void SetLinkName(string name, string newName, uint group)
    {
        var op = $"rename link {name} to {newName}";
        var link = GetLink(name) ?? throw new NetlinkException(Errno.ENODEV, op);
        Execute(op, (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, ChangeFlags, seq);
            w.WriteHeader(new ifinfomsg { ifi_index = link.Index });
            w.AddString(Nl.IFLA_IFNAME, newName);
            w.AddUInt32(Nl.IFLA_GROUP, group);
        });
    }

    // rtnl_dellink with ifi_index 0 and no IFLA_IFNAME deletes every device of IFLA_GROUP in one
    // unregister_netdevice_many(), so the RCU grace periods of unregistration are paid once per call, not
    // once per device. The kernel answers EPERM for group 0, ENODEV when no device is in the group, and
    // EOPNOTSUPP (deleting nothing) when one of them has no rtnl_link_ops->dellink (a physical device).
    public void DeleteLinkGroup(uint group) =>
        Execute($"delete link group {group}", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_DELLINK, ChangeFlags, seq);
            w.WriteHeader(new ifinfomsg());
            w.AddUInt32(Nl.IFLA_GROUP, group);
        });

    public void SetMtu(string name, int mtu) =>
        Execute($"set link {name} mtu {mtu}", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, ChangeFlags, seq);
            w.WriteHeader(new ifinfomsg());
            w.AddString(Nl.IFLA_IFNAME, name);
            w.AddUInt32(Nl.IFLA_MTU, (uint)mtu);
        });

    internal static LinkInfo ParseLink(in NetlinkMessage m)
    {
        var hdr = m.ReadHeader<ifinfomsg>(out var attrs);
        string name = "", kind = "", mac = "";
        int mtu = 0, master = 0;
        uint group = 0;
        while (attrs.TryRead(out var type, out var value))
        {
            switch (type)
            {
                case Nl.IFLA_IFNAME: name = AttributeReader.ReadString(value); break;
                case Nl.IFLA_MTU: mtu = (int)AttributeReader.ReadUInt32(value); break;
                case Nl.IFLA_MASTER: master = (int)AttributeReader.ReadUInt32(value); break;
                case Nl.IFLA_GROUP: group = AttributeReader.ReadUInt32(value); break;
                case Nl.IFLA_ADDRESS: mac = Convert.ToHexString(value).ToLowerInvariant(); break;
                case Nl.IFLA_LINKINFO:
                    var info = new AttributeReader(value);
                    while (info.TryRead(out var t, out var v))
                        if (t == Nl.IFLA_INFO_KIND) kind = AttributeReader.ReadString(v);
                    break;
            }
        }
        if (mac.Length > 0) mac = string.Join(':', Enumerable.Range(0, mac.Length / 2).Select(i => mac.Substring(i * 2, 2)));
        return new LinkInfo(name, hdr.ifi_index, kind, mtu, (hdr.ifi_flags & Nl.IFF_UP) != 0, mac, master, group);
    }
}
