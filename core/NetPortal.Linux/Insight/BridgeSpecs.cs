using NetPortal.Core.Daemon;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;
using NetPortal.Core.Insight;
using NetPortal.Core.Networks;
using NetPortal.Linux.Bridge;

namespace NetPortal.Linux.Insight;

/// <summary>The bridge driver's reading of a network's options, for the insight views.</summary>
public sealed class BridgeSpecs(DaemonOptions options) : IBridgeSpecs
{
    public NetworkFirewallSpec? SpecOf(Network network)
    {
        if (network.Driver != "bridge") return null;
        try
        {
            var o = BridgeOptions.Parse(network, options);
            return new NetworkFirewallSpec(
                network.Id,
                o.BridgeName,
                network.Pools.Where(p => !p.IsIPv6).Select(p => p.Subnet).ToList(),
                network.Pools.Where(p => p.IsIPv6).Select(p => p.Subnet).ToList(),
                network.Internal,
                o.EnableIcc,
                o.EnableMasquerade,
                o.HostBindingIPv4);
        }
        catch (NetPortalException)
        {
            return null;
        }
    }
}
