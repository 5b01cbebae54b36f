using System.Net.Sockets;
using NetPortal.Core.Insight;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Insight;

/// <summary>A sandbox's main routing table, read on a netlink socket opened inside its namespace.</summary>
public sealed class NetlinkSandboxRoutes : ISandboxRoutes
{
    public IReadOnlyList<SandboxRoute> Routes(SandboxInfo sandbox)
    {
        try
        {
            using var netlink = RouteNetlink.OpenIn(sandbox.Key);
            var names = netlink.DumpLinks().ToDictionary(l => l.Index, l => l.Name);
            return netlink.DumpRoutes()
                .Select(r => new SandboxRoute(
                    $"{(r.PrefixLength == 0 ? (r.Family == AddressFamily.InterNetworkV6 ? "::" : "0.0.0.0") : r.Destination.ToString())}/{r.PrefixLength}",
                    r.Gateway?.ToString(),
                    names.TryGetValue(r.OutputLinkIndex, out var n) ? n : ""))
                .ToList();
        }
        catch (Exception e) when (e is NetlinkException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
