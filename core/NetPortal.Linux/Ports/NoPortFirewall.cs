using NetPortal.Core.Drivers;
using NetPortal.Core.Ports;

namespace NetPortal.Linux.Ports;

/// <summary>"iptables": false: published ports get no rules, only the userland proxy serves them (as dockerd).</summary>
public sealed class NoPortFirewall : IPortFirewall
{
    public void AddPortMappings(NetworkFirewallSpec network, IReadOnlyList<PortMapping> mappings)
    {
    }

    public void RemovePortMappings(NetworkFirewallSpec network, IReadOnlyList<PortMapping> mappings)
    {
    }
}
