using NetPortal.Core.Drivers;
using NetPortal.Core.Ports;

namespace NetPortal.Linux.Ports;

/// <summary>
/// Firewall side of published ports (DNAT into the bridge, ACCEPT in FORWARD, hairpin MASQUERADE). Kept apart from
/// IFirewall so that backends without port rules (none, a future nftables) need not pretend to have them.
/// </summary>
public interface IPortFirewall
{
    /// <summary>All rules of <paramref name="mappings"/> in one batch (one restore per family); idempotent.</summary>
    void AddPortMappings(NetworkFirewallSpec network, IReadOnlyList<PortMapping> mappings);

    /// <summary>Removes the rules of <paramref name="mappings"/> in one batch; rules already gone are not an error.</summary>
    void RemovePortMappings(NetworkFirewallSpec network, IReadOnlyList<PortMapping> mappings);
}
