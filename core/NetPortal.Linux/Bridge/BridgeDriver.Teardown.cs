using Microsoft.Extensions.Logging;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Bridge;

public sealed partial class BridgeDriver
{
    public void Teardown(Network network)
    {
        var errors = new List<Exception>();
        var bridge = BridgeNameOf(network);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // The predefined bridge network's device (docker0) is kept, as Docker does. Retiring takes about a
        // millisecond, so the firewall removal (15-35 ms: nf_tables rule deletion waits for an RCU grace period)
        // runs after it on this thread. It used to run on the thread pool to overlap with RTM_DELLINK, but a
        // pool thread blocked in the firewall's group commit starves the pool that completes the restore
        // process's pipe reads (seconds of stalls with 8 concurrent removes on 2 cores).
        if (!network.IsPredefined)
        {
            try { Retire(bridge); }
            catch (Exception e) { errors.Add(e); }
        }
        try { firewall.RemoveNetwork(FirewallSpec(network)); }
        catch (Exception e) { errors.Add(e); }
        logger.LogInformation("bridge {Bridge} of network {Network} torn down in {Ms:F1} ms ({Errors} errors)",
            bridge, network.Id, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, errors.Count);
        if (errors.Count > 0) throw new TeardownFailedException(errors);
    }

    /// <summary>
    /// Makes the bridge inert now and leaves the RTM_DELLINK to the reaper (see BridgeReaper for why).
    /// When this returns, its name (a custom com.docker.network.bridge.name may be reused at once) and its
    /// addresses (the IPAM may hand the subnet out again at once) are free, and no route points at it.
    /// </summary>
    private void Retire(string bridge)
    {
        var link = netlink.GetLink(bridge);
        if (link is null) return;
        try
        {
            // Down first: the kernel drops the link's routes, flushes its IPv6 addresses (unless
            // keep_addr_on_down) and detaches nothing else; kernels before 6.2 refuse to rename a device that is up.
            netlink.SetDown(bridge);
            foreach (var a in netlink.DumpAddresses().Where(a => a.LinkIndex == link.Index))
            {
                try { netlink.DeleteAddress(bridge, a.Address, a.PrefixLength); }
                catch (NetlinkException e) when (e.Errno == Errno.EADDRNOTAVAIL) { } // went with the IPv6 flush
            }
            _reaper.Enqueue(RenameToTombstone(bridge));
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            // Gone meanwhile: nothing left to retire.
        }
        catch (Exception e)
        {
            // Retiring failed half-way: the old way still frees everything, only slower.
            logger.LogWarning(e, "retiring bridge {Bridge} failed; deleting it now", bridge);
            try { netlink.DeleteLink(bridge); }
            catch (NetlinkException gone) when (gone.Errno == Errno.ENODEV) { }
        }
    }

    private string RenameToTombstone(string bridge)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var tombstone = BridgeReaper.NewTombstoneName();
                netlink.SetLinkName(bridge, tombstone, BridgeReaper.TombstoneGroup);
                return tombstone;
            }
            // 32 random bits make a clash (with another retired bridge) unlikely, not impossible.
            catch (NetlinkException e) when (e.Errno == Errno.EEXIST && attempt < 3) { }
        }
    }

    public IReadOnlyList<string> Restore(Network network)
    {
        var o = BridgeOptions.Parse(network, options);
        var lines = new List<string>();
        var link = netlink.GetLink(o.BridgeName);
        if (link is null)
        {
            netlink.CreateBridge(o.BridgeName, o.Mtu);
            lines.Add($"created missing bridge {o.BridgeName} for network {network.Id}");
            link = netlink.GetLink(o.BridgeName) ?? throw new NetlinkException(Errno.ENODEV, $"get link {o.BridgeName}");
        }
        var present = netlink.DumpAddresses().Where(a => a.LinkIndex == link.Index).ToList();
        foreach (var (ip, prefix) in GatewayAddresses(network))
        {
            if (present.Any(a => a.Address.Equals(ip) && a.PrefixLength == prefix)) continue;
            // An IPv6 gateway must answer at once: duplicate address detection would keep it tentative (unusable)
            // for a second or more after the bridge comes up, and containers start faster than that.
            if (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) netlink.AddAddressNoDad(o.BridgeName, ip, prefix);
            else netlink.AddAddress(o.BridgeName, ip, prefix);
            lines.Add($"added missing address {ip}/{prefix} to bridge {o.BridgeName}");
        }
        if (!link.Up)
        {
            netlink.SetUp(o.BridgeName);
            lines.Add($"set bridge {o.BridgeName} up");
        }
        foreach (var line in lines) logger.LogInformation("{Repair}", line);
        return lines;
    }
}
