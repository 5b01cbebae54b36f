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
        // Deleting a netdevice and deleting nf_tables rules each wait for an RCU grace period in the kernel
        // (tens of ms on a small VM). iptables rules name the bridge only as a string, so both can run at once
        // and the waits overlap instead of adding up.
        var rules = Task.Run(() => firewall.RemoveNetwork(FirewallSpec(network)));
        // The predefined bridge network's device (docker0) is kept, as Docker does.
        if (!network.IsPredefined)
        {
            try { netlink.DeleteLink(bridge); }
            catch (NetlinkException e) when (e.Errno == Errno.ENODEV) { }
            catch (Exception e) { errors.Add(e); }
        }
        try { rules.GetAwaiter().GetResult(); }
        catch (Exception e) { errors.Add(e); }
        logger.LogInformation("bridge {Bridge} of network {Network} torn down in {Ms:F1} ms ({Errors} errors)",
            bridge, network.Id, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, errors.Count);
        if (errors.Count > 0) throw new TeardownFailedException(errors);
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
            netlink.AddAddress(o.BridgeName, ip, prefix);
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
