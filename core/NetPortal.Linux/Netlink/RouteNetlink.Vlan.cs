using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

public sealed partial class RouteNetlink
{
    // <linux/if_link.h>: IFLA_VLAN_ID (u16) in IFLA_INFO_DATA of kind "vlan"; the protocol defaults to 802.1Q.
    internal const ushort IFLA_VLAN_ID = 1;

    // `ip link add link PARENT name NAME type vlan id VID`. Without the 8021q module the kernel finds no
    // rtnl_link_ops for "vlan" and answers EOPNOTSUPP (after a failed request_module when autoloading is off).
    public void CreateVlan(string name, string parentName, ushort vlanId, uint group = 0)
    {
        var op = $"create vlan {name} on {parentName}";
        var parent = GetLink(parentName) ?? throw new NetlinkException(Errno.ENODEV, op);
        Execute(op, (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, CreateFlags, seq);
            w.WriteHeader(new ifinfomsg());
            w.AddString(Nl.IFLA_IFNAME, name);
            w.AddUInt32(IFLA_LINK, (uint)parent.Index);
            if (group != 0) w.AddUInt32(Nl.IFLA_GROUP, group);
            var info = w.BeginNested(Nl.IFLA_LINKINFO);
            w.AddString(Nl.IFLA_INFO_KIND, "vlan");
            var data = w.BeginNested(Nl.IFLA_INFO_DATA);
            Span<byte> vid = stackalloc byte[2];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(vid, vlanId);
            w.AddAttribute(IFLA_VLAN_ID, vid);
            w.EndNested(data);
            w.EndNested(info);
        });
    }
}
