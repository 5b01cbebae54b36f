using System.Net.Sockets;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Tests.Fakes;

/// <summary>
/// macvlan, 802.1Q, dummy and ipvlan links: the parent must exist here (ENODEV), the new link lands in the fake
/// registered for the namespace fd if one is given (like IFLA_NET_NS_FD), and <see cref="MissingKinds"/> answers
/// EOPNOTSUPP like a kernel without that link type.
/// </summary>
public sealed partial class FakeRouteNetlink
{
    /// <summary>Link kinds this "kernel" lacks, e.g. "ipvlan", "vlan", "dummy".</summary>
    public HashSet<string> MissingKinds { get; } = new(StringComparer.Ordinal);

    public void CreateMacvlan(string name, string parentName, uint mode, int? namespaceFd = null, uint group = 0) =>
        CreateLower("macvlan", $"macvlan {name} {parentName} mode {mode}", name, parentName, namespaceFd, group);

    public void CreateVlan(string name, string parentName, ushort vlanId, uint group = 0) =>
        CreateLower("vlan", $"vlan {name} {parentName} id {vlanId}", name, parentName, null, group);

    public void CreateDummy(string name, uint group)
    {
        using var _ = _lock.EnterScope();
        Log($"dummy {name}");
        if (MissingKinds.Contains("dummy")) throw new NetlinkException(Errno.EOPNOTSUPP, $"create dummy {name}");
        if (_links.ContainsKey(name)) throw new NetlinkException(Errno.EEXIST, $"create dummy {name}");
        _links[name] = new LinkInfo(name, _nextIndex++, "dummy", 1500, false, "aa:00:00:00:00:03", 0, group);
    }

    public void CreateIpvlan(string name, string parentName, ushort mode, ushort flags, int? namespaceFd = null) =>
        CreateLower("ipvlan", $"ipvlan {name} {parentName} mode {mode} flags {flags}", name, parentName, namespaceFd, 0);

    public void ReplaceDefaultDeviceRoute(string linkName, AddressFamily family)
    {
        using var _ = _lock.EnterScope();
        Log($"route default dev {linkName} {(family == AddressFamily.InterNetwork ? "ipv4" : "ipv6")}");
        var link = Require(linkName);
        Routes.Add(new RouteInfo(family, family == AddressFamily.InterNetwork ? System.Net.IPAddress.Any : System.Net.IPAddress.IPv6Any, 0, link.Index, null));
    }

    private void CreateLower(string kind, string call, string name, string parentName, int? namespaceFd, uint group)
    {
        var target = this;
        LinkInfo parent;
        lock (_lock)
        {
            Log(call + (namespaceFd is { } fd ? $" netns {Path.GetFileName(FdPath(fd))}" : ""));
            if (MissingKinds.Contains(kind)) throw new NetlinkException(Errno.EOPNOTSUPP, $"create {kind} {name}");
            parent = Require(parentName);
            if (namespaceFd is { } nsFd) target = Resolve(nsFd, $"create {kind} {name}");
        }
        using var __ = target._lock.EnterScope();
        if (target._links.ContainsKey(name)) throw new NetlinkException(Errno.EEXIST, $"create {kind} {name}");
        target._links[name] = new LinkInfo(name, target._nextIndex++, kind, parent.Mtu, false, "aa:00:00:00:00:04", 0, group);
    }
}
