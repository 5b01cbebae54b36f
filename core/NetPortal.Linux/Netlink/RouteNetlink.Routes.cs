using System.Net;
using System.Net.Sockets;
using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

public sealed partial class RouteNetlink
{
    public IReadOnlyList<RouteInfo> DumpRoutes()
    {
        var list = new List<RouteInfo>();
        Exchange("dump routes", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_GETROUTE, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, seq);
            w.WriteHeader(new rtmsg());
        }, (in NetlinkMessage m) => { if (m.Type == Nl.RTM_NEWROUTE && ParseRoute(m) is { } r) list.Add(r); }, dump: true);
        return list;
    }

    /// <summary>Returns null for routes outside the main table (local, broadcast and policy tables).</summary>
    internal static RouteInfo? ParseRoute(in NetlinkMessage m)
    {
        var hdr = m.ReadHeader<rtmsg>(out var attrs);
        uint table = hdr.rtm_table; // rtm_table is 8 bits; RTA_TABLE carries ids above 255
        IPAddress? dst = null, gateway = null;
        var oif = 0;
        while (attrs.TryRead(out var type, out var value))
        {
            switch (type)
            {
                case Nl.RTA_TABLE: table = AttributeReader.ReadUInt32(value); break;
                case Nl.RTA_DST: dst = new IPAddress(value); break;
                case Nl.RTA_GATEWAY: gateway = new IPAddress(value); break;
                case Nl.RTA_OIF: oif = (int)AttributeReader.ReadUInt32(value); break;
            }
        }
        if (table != Nl.RT_TABLE_MAIN) return null;
        if (hdr.rtm_family is not (Nl.AF_INET or Nl.AF_INET6)) return null;
        var v6 = hdr.rtm_family == Nl.AF_INET6;
        dst ??= v6 ? IPAddress.IPv6Any : IPAddress.Any;
        return new RouteInfo(v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, dst, hdr.rtm_dst_len, oif, gateway);
    }
}
