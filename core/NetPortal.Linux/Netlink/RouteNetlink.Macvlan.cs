using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

public sealed partial class RouteNetlink
{
    // <linux/if_link.h>: IFLA_LINK names the lower device; IFLA_MACVLAN_MODE sits in IFLA_INFO_DATA of kind "macvlan".
    internal const ushort IFLA_LINK = 5, IFLA_MACVLAN_MODE = 1;

    // macvlan_newlink resolves IFLA_LINK in the namespace of the request's socket (src_net), while IFLA_NET_NS_FD
    // picks the namespace the new device is registered in: so a macvlan of a parent in the managed namespace can be
    // born inside a sandbox without a move (dev_change_net_namespace costs an RCU grace period). EEXIST when the name
    // is taken in the target namespace; EOPNOTSUPP when the kernel has no macvlan (rtnl_link_ops not found).
    public void CreateMacvlan(string name, string parentName, uint mode, int? namespaceFd = null, uint group = 0)
    {
        var op = $"create macvlan {name} on {parentName}";
        var parent = GetLink(parentName) ?? throw new NetlinkException(Errno.ENODEV, op);
        Execute(op, (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, CreateFlags, seq);
            w.WriteHeader(new ifinfomsg());
            w.AddString(Nl.IFLA_IFNAME, name);
            w.AddUInt32(IFLA_LINK, (uint)parent.Index);
            if (group != 0) w.AddUInt32(Nl.IFLA_GROUP, group);
            if (namespaceFd is { } fd) w.AddUInt32(Nl.IFLA_NET_NS_FD, (uint)fd);
            var info = w.BeginNested(Nl.IFLA_LINKINFO);
            w.AddString(Nl.IFLA_INFO_KIND, "macvlan");
            var data = w.BeginNested(Nl.IFLA_INFO_DATA);
            w.AddUInt32(IFLA_MACVLAN_MODE, mode);
            w.EndNested(data);
            w.EndNested(info);
        });
    }

    // rtnl_create_link applies IFLA_GROUP at creation, so a link NetPortal made is marked in the kernel itself
    // (`ip link show group N`) in the same request: no crash can leave it unmarked. Without the dummy module the
    // kernel has no rtnl_link_ops for "dummy" and answers EOPNOTSUPP.
    public void CreateDummy(string name, uint group) =>
        Execute($"create dummy {name}", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWLINK, CreateFlags, seq);
            w.WriteHeader(new ifinfomsg());
            w.AddString(Nl.IFLA_IFNAME, name);
            if (group != 0) w.AddUInt32(Nl.IFLA_GROUP, group);
            var info = w.BeginNested(Nl.IFLA_LINKINFO);
            w.AddString(Nl.IFLA_INFO_KIND, "dummy");
            w.EndNested(info);
        });
}
