using System.Net;
using System.Net.Sockets;
using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

public sealed partial class RouteNetlink
{
    // <linux/rtnetlink.h> values used only here (kept local so Interop/NetlinkConstants.cs stays untouched).
    private const byte RTPROT_BOOT = 3, RT_SCOPE_UNIVERSE = 0, RT_SCOPE_NOWHERE = 255, RTN_UNICAST = 1;

    /// <summary>
    /// Sets the main table's default route of the gateway's family to go via <paramref name="gateway"/> on
    /// <paramref name="linkName"/>, replacing any existing one (`ip route replace default via GW dev LINK`).
    /// </summary>
    public void ReplaceDefaultRoute(string linkName, IPAddress gateway)
    {
        var op = $"replace default route via {gateway} dev {linkName}";
        var link = GetLink(linkName) ?? throw new NetlinkException(Errno.ENODEV, op);
        var v4 = gateway.AddressFamily == AddressFamily.InterNetwork;
        var gw = gateway.GetAddressBytes();
        // NLM_F_CREATE|NLM_F_REPLACE: the kernel swaps the route with the same (table, dst/0, tos, priority) key in place,
        // so there is never a moment without a default route (rtnetlink(7)).
        Execute(op, (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_NEWROUTE, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, seq);
            w.WriteHeader(new rtmsg
            {
                rtm_family = v4 ? Nl.AF_INET : Nl.AF_INET6,
                rtm_table = Nl.RT_TABLE_MAIN,
                rtm_protocol = RTPROT_BOOT,
                rtm_scope = RT_SCOPE_UNIVERSE,
                rtm_type = RTN_UNICAST,
            });
            w.AddAttribute(Nl.RTA_GATEWAY, gw);
            w.AddUInt32(Nl.RTA_OIF, (uint)link.Index);
        });
    }

    /// <summary>Deletes every main-table default route of the family (`ip route del default` until none is left); none is not an error.</summary>
    public void DeleteDefaultRoutes(AddressFamily family)
    {
        var v4 = family == AddressFamily.InterNetwork;
        // RTM_DELROUTE removes one matching route per request; attributes left out (gateway, oif) and
        // RT_SCOPE_NOWHERE act as wildcards, so repeat until the kernel answers ESRCH (IPv4: no such route) or ENOENT
        // (IPv6: fib6_locate finds no ::/0 node once the last default route is gone).
        for (var i = 0; i < 64; i++)
        {
            try
            {
                Execute($"delete default route ({(v4 ? "ipv4" : "ipv6")})", (ref NetlinkWriter w, uint seq) =>
                {
                    w.BeginMessage(Nl.RTM_DELROUTE, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, seq);
                    w.WriteHeader(new rtmsg
                    {
                        rtm_family = v4 ? Nl.AF_INET : Nl.AF_INET6,
                        rtm_table = Nl.RT_TABLE_MAIN,
                        rtm_scope = RT_SCOPE_NOWHERE,
                    });
                });
            }
            catch (NetlinkException e) when (e.Errno is Errno.ESRCH or Errno.ENOENT)
            {
                return;
            }
        }
    }
}
