using NetPortal.Core.Drivers;

namespace NetPortal.Linux.Firewall;

/// <summary>The daemon's "iptables": false: networks get no firewall rules at all (netavark's fwnone).</summary>
public sealed class NoFirewall : IFirewall
{
    public string Name => "none";

    public void Initialize()
    {
    }

    public void AddNetwork(NetworkFirewallSpec network)
    {
    }

    public void RemoveNetwork(NetworkFirewallSpec network)
    {
    }

    public IReadOnlyList<string> Reconcile(IReadOnlyCollection<NetworkFirewallSpec> networks) => [];
}
