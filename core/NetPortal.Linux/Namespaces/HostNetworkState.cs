using System.Net;
using NetPortal.Core.Drivers;
using NetPortal.Core.Ipam;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Namespaces;

/// <summary>Addresses and main-table routes of the managed namespace, for IPAM overlap checks.</summary>
public sealed class HostNetworkState(IRouteNetlink netlink) : IHostNetworkState
{
    private static readonly Cidr[] Ignored =
    [
        Cidr.Parse("127.0.0.0/8"),  // loopback
        Cidr.Parse("::1/128"),
        Cidr.Parse("fe80::/10"),    // link-local: every interface has one, never routed
        Cidr.Parse("ff00::/8"),     // multicast routes the kernel adds per interface
    ];

    public IReadOnlyList<HostPrefix> GetOccupiedPrefixes()
    {
        var names = netlink.DumpLinks().ToDictionary(l => l.Index, l => l.Name);
        string Dev(int index) => names.TryGetValue(index, out var n) ? n : "";
        var result = new List<HostPrefix>();
        foreach (var a in netlink.DumpAddresses())
            if (Prefix(a.Address, a.PrefixLength) is { } c) result.Add(new HostPrefix(c, Dev(a.LinkIndex), "address"));
        // DumpRoutes returns the main table only, so the local table's per-address /32 and broadcast routes are absent.
        foreach (var r in netlink.DumpRoutes())
            if (r.PrefixLength > 0 && Prefix(r.Destination, r.PrefixLength) is { } c) result.Add(new HostPrefix(c, Dev(r.OutputLinkIndex), "route"));
        return result;
    }

    private static Cidr? Prefix(IPAddress address, int prefixLength)
    {
        if (!Cidr.TryParse($"{address}/{prefixLength}", out var c, out _)) return null;
        return IsIgnored(c) ? null : c;
    }

    /// <summary>Loopback, link-local and multicast prefixes: present everywhere, never an overlap.</summary>
    internal static bool IsIgnored(Cidr prefix) => Ignored.Any(i => i.Contains(prefix));
}
