using System.Net;
using Microsoft.Extensions.Logging;
using NetPortal.Core.Errors;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Bridge;

public sealed partial class BridgeDriver
{
    public void Setup(Network network)
    {
        var o = BridgeOptions.Parse(network, options);
        var undo = new Stack<(string What, Action Undo)>();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var created = CreateOrAdopt(o, undo);
            if (!created) SetMtuIfNeeded(o, undo);
            foreach (var (ip, prefix) in GatewayAddresses(network))
            {
                try
                {
                    // An IPv6 gateway must answer at once: duplicate address detection would keep it tentative (unusable)
                    // for a second or more after the bridge comes up, and containers start faster than that.
                    if (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) netlink.AddAddressNoDad(o.BridgeName, ip, prefix);
                    else netlink.AddAddress(o.BridgeName, ip, prefix);
                    undo.Push(($"delete address {ip}/{prefix}", () => netlink.DeleteAddress(o.BridgeName, ip, prefix)));
                }
                // An adopted bridge (e.g. docker0 after a restart) may already carry the gateway.
                catch (NetlinkException e) when (e.Errno == Errno.EEXIST) { }
            }
            netlink.SetUp(o.BridgeName);
            var linkTime = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            var spec = FirewallSpec(network);
            firewall.AddNetwork(spec);
            undo.Push(("remove firewall rules", () => firewall.RemoveNetwork(spec)));
            logger.LogInformation("bridge {Bridge} set up for network {Network} in {Total:F1} ms (netlink {Link:F1} ms)",
                o.BridgeName, network.Id, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, linkTime.TotalMilliseconds);
        }
        catch (Exception failure)
        {
            while (undo.TryPop(out var step))
            {
                try { step.Undo(); }
                catch (Exception e) { logger.LogWarning(e, "undo of {Step} on {Bridge} failed", step.What, o.BridgeName); }
            }
            logger.LogWarning(failure, "setup of bridge {Bridge} failed; undone", o.BridgeName);
            throw;
        }
    }

    /// <summary>Creates the bridge, or adopts an existing bridge of that name as Docker does (docker0 survives restarts).</summary>
    private bool CreateOrAdopt(BridgeOptions o, Stack<(string, Action)> undo)
    {
        if (Revive(o))
        {
            undo.Push(($"delete bridge {o.BridgeName}", () => netlink.DeleteLink(o.BridgeName)));
            return true;
        }

        try
        {
            netlink.CreateBridge(o.BridgeName, o.Mtu);
            undo.Push(($"delete bridge {o.BridgeName}", () => netlink.DeleteLink(o.BridgeName)));
            return true;
        }
        catch (NetlinkException e) when (e.Errno == Errno.EEXIST)
        {
            var existing = netlink.GetLink(o.BridgeName);
            if (existing is null || existing.Kind != "bridge")
                throw NetPortalException.Conflict($"device {o.BridgeName} already exists and is not a bridge");
            return false;
        }
    }

    /// <summary>Reuses a retired bridge the reaper has not deleted yet (see BridgeReaper); false when there is none.</summary>
    private bool Revive(BridgeOptions o)
    {
        while (_reaper.TryTake(out var tombstone))
        {
            try
            {
                netlink.ReviveBridge(tombstone, o.BridgeName, o.Mtu);
                return true;
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
            {
                // A round deleted it just now; try the next one.
            }
            catch (NetlinkException e)
            {
                // E.g. EEXIST: the name exists (adopted below). The request changed nothing: back to be reaped.
                if (e.Errno != Errno.EEXIST) logger.LogWarning(e, "reviving bridge {Tombstone} as {Bridge} failed; creating one", tombstone, o.BridgeName);
                _reaper.Enqueue(tombstone);
                return false;
            }
        }

        return false;
    }

    private void SetMtuIfNeeded(BridgeOptions o, Stack<(string, Action)> undo)
    {
        var link = netlink.GetLink(o.BridgeName);
        if (o.Mtu <= 0 || link is null || link.Mtu == o.Mtu) return;
        netlink.SetMtu(o.BridgeName, o.Mtu);
        undo.Push(($"restore mtu {link.Mtu}", () => netlink.SetMtu(o.BridgeName, link.Mtu)));
    }

    /// <summary>Each pool's gateway with the pool's prefix length, e.g. 172.18.0.1/16 (IPv4 first, then IPv6).</summary>
    internal static IEnumerable<(IPAddress Address, int PrefixLength)> GatewayAddresses(Network network)
    {
        foreach (var pool in network.Pools.OrderBy(p => p.IsIPv6))
        {
            if (pool.Gateway is null) continue;
            yield return (IPAddress.Parse(pool.Gateway), Cidr.Parse(pool.Subnet).PrefixLength);
        }
    }
}
