namespace NetPortal.Core.Drivers;

/// <summary>A firewall backend (iptables, nftables, none); drivers receive it, they do not choose it.</summary>
public interface IFirewall
{
    /// <summary>iptables, nftables or none.</summary>
    string Name { get; }

    /// <summary>Creates the base chains/tables once (idempotent); never touches the user's chain contents.</summary>
    void Initialize();

    /// <summary>Adds every rule of one network in one batch.</summary>
    void AddNetwork(NetworkFirewallSpec network);

    /// <summary>Removes every rule of one network in one batch; rules already gone are not an error.</summary>
    void RemoveNetwork(NetworkFirewallSpec network);

    /// <summary>Start-up reconcile: rules of <paramref name="networks"/> are made present, NetPortal-owned rules of anything else removed; returns a line per change.</summary>
    IReadOnlyList<string> Reconcile(IReadOnlyCollection<NetworkFirewallSpec> networks);
}
