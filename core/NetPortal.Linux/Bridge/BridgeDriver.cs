using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using NetPortal.Core.Daemon;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Bridge;

/// <summary>
/// Docker's "bridge" driver: one Linux bridge per network with the gateway addresses, plus firewall rules.
/// Safe for concurrent Setup/Teardown of different networks: it keeps no per-network state, RouteNetlink pairs
/// each request with its reply under a lock, the firewall group-commits, and removed bridges go to a
/// <see cref="BridgeReaper"/>. Dispose (daemon shutdown) waits until the reaper deleted every retired bridge.
/// </summary>
/// <param name="reaper">Deletes retired bridges in the background; null makes one over <paramref name="netlink"/>, owned and disposed by the driver.</param>
public sealed partial class BridgeDriver(IRouteNetlink netlink, IFirewall firewall, DaemonOptions options, ILogger logger, BridgeReaper? reaper = null)
    : INetworkDriver, IEndpointDriver, IDisposable
{
    private readonly BridgeReaper _reaper = reaper ?? new BridgeReaper(netlink, logger);
    private readonly bool _ownsReaper = reaper is null;

    public string Name => "bridge";

    /// <summary>The reaper that deletes retired bridges (Flush it to wait for the deletions).</summary>
    public BridgeReaper Reaper => _reaper;

    /// <summary>Finishes pending bridge deletions (and stops the reaper if the driver made it).</summary>
    public void Dispose()
    {
        if (_ownsReaper) _reaper.Dispose();
        else _reaper.Flush();
    }
    public bool NeedsIpam => true;

    public void Validate(Network network, IReadOnlyCollection<Network> existing)
    {
        var parsed = BridgeOptions.Parse(network, options);
        // The kernel refuses names of IFNAMSIZ or more bytes; Docker surfaces that from its existence check.
        if (System.Text.Encoding.UTF8.GetByteCount(parsed.BridgeName) >= Nl.IFNAMSIZ)
            throw NetPortalException.Internal($"failed to check bridge interface existence: {Errno.Describe(Errno.ERANGE)}");
        if (network.Pools.Count(p => !p.IsIPv6) > 1)
            throw NetPortalException.Forbidden("bridge driver doesn't support multiple subnets");
        foreach (var other in existing)
        {
            if (other.Id == network.Id || other.Driver != Name || !BridgeOptions.HasBridgeName(other, parsed.BridgeName)) continue;
            throw NetPortalException.Forbidden(
                $"cannot create network {network.Id} ({parsed.BridgeName}): conflicts with network {other.Id} ({parsed.BridgeName}): networks have same bridge name");
        }
    }

    /// <summary>Validate refuses only a second network with the same bridge name, so that name is the key.</summary>
    public IReadOnlyList<string>? ConflictKeys(Network network) => [BridgeOptions.BridgeNameOf(network)];

    /// <summary>Linux device name of the network's bridge.</summary>
    public static string BridgeNameOf(Network network) => BridgeOptions.BridgeNameOf(network);

    /// <summary>What the firewall needs for <paramref name="network"/> (also for IFirewall.Reconcile at start-up).</summary>
    public NetworkFirewallSpec FirewallSpec(Network network)
    {
        var o = BridgeOptions.Parse(network, options);
        return new NetworkFirewallSpec(
            network.Id,
            o.BridgeName,
            network.Pools.Where(p => !p.IsIPv6).Select(p => p.Subnet).ToList(),
            // "ip6tables": false (Docker 27+) leaves IPv6 traffic unfiltered and unmasqueraded.
            options.Ip6tables ? network.Pools.Where(p => p.IsIPv6).Select(p => p.Subnet).ToList() : [],
            network.Internal,
            o.EnableIcc,
            o.EnableMasquerade,
            o.HostBindingIPv4);
    }

    public IReadOnlyList<string> RemoveOrphans(IReadOnlyCollection<Network> known)
    {
        var owned = known.Where(n => n.Driver == Name).Select(BridgeNameOf).ToHashSet(StringComparer.Ordinal);
        // Tombstones a crash left between Teardown and the reaper's round.
        var lines = new List<string>(_reaper.RemoveLeftovers());
        // Only names NetPortal/Docker generate (br- + 12 hex of an id): never the user's own bridges or docker0.
        foreach (var link in netlink.DumpLinks().Where(l => l.Kind == "bridge" && GeneratedName().IsMatch(l.Name) && !owned.Contains(l.Name)))
        {
            try
            {
                netlink.DeleteLink(link.Name);
                lines.Add($"removed orphan bridge {link.Name}");
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
            {
            }
        }
        // Rules are reconciled here rather than per network in Restore: one iptables-save read covers every network,
        // and only the full list of networks tells which NetPortal-owned rules have no owner left.
        lines.AddRange(firewall.Reconcile(known.Where(n => n.Driver == Name).Select(FirewallSpec).ToList()));
        foreach (var line in lines) logger.LogInformation("{Repair}", line);
        return lines;
    }

    [GeneratedRegex("^br-[0-9a-f]{12}$")]
    private static partial Regex GeneratedName();
}
