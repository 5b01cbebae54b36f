using NetPortal.Core.Insight;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Insight;

/// <summary>The managed namespace's links and addresses through rtnetlink.</summary>
public sealed class NetlinkHostInterfaces(IRouteNetlink netlink, string namespacePath) : IHostInterfaces
{
    public string NamespacePath => namespacePath;

    public IReadOnlyList<HostInterface> List()
    {
        var links = netlink.DumpLinks();
        var names = links.ToDictionary(l => l.Index, l => l.Name);
        var addresses = netlink.DumpAddresses().ToLookup(a => a.LinkIndex, a => $"{a.Address}/{a.PrefixLength}");
        return links.OrderBy(l => l.Index)
            .Select(l => new HostInterface(l.Name, l.Kind, l.Up, l.Mtu, addresses[l.Index].ToList(),
                l.MasterIndex != 0 && names.TryGetValue(l.MasterIndex, out var m) ? m : null))
            .ToList();
    }
}
