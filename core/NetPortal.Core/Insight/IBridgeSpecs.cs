using NetPortal.Core.Drivers;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Insight;

/// <summary>The bridge driver's reading of a network's options (bridge name, icc, masquerade).</summary>
public interface IBridgeSpecs
{
    /// <summary>Null for networks that have no bridge (host, null, other drivers) or whose options do not parse.</summary>
    NetworkFirewallSpec? SpecOf(Network network);
}
