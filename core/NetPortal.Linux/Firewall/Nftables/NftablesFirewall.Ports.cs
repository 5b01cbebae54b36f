using NetPortal.Core.Drivers;
using NetPortal.Core.Ports;
using NetPortal.Linux.Ports;

namespace NetPortal.Linux.Firewall.Nftables;

/// <summary>
/// Published ports as elements: a DNAT map entry (protocol . host port, or protocol . host address . host port),
/// a filter accept entry, a hairpin masquerade entry and a "not from its own bridge" entry per mapping; no rule is
/// added. Two mappings to the same container port share the accept and hairpin elements, so every element has an
/// owner set in memory and is deleted only with its last owner. Reconcile never touches these sets (as the
/// iptables backend leaves port rules to the port publisher); after a restart an unpublish of a mapping nobody
/// re-published removes its elements whoever else used them.
/// </summary>
public sealed partial class NftablesFirewall : IPortFirewall
{
    private readonly Dictionary<(string Family, NftElement Element), HashSet<(string Bridge, PortMapping Mapping)>> _portOwners = [];

    public void AddPortMappings(NetworkFirewallSpec network, IReadOnlyList<PortMapping> mappings)
    {
        var elements = PortElements(network, mappings);
        lock (_lock)
        {
            var script = NetPortalNftLayout.Tables
                .SelectMany(t => NftScript.Add(t, elements.Where(e => e.Family == t.Family.Name).Select(e => e.Element).Distinct()))
                .ToList();
            Change(script, $"publish {mappings.Count} port(s) on {network.BridgeName}");

            // Owners are recorded once the kernel has the elements (Change throws otherwise).
            foreach (var (family, element, owner) in elements)
            {
                (_portOwners.TryGetValue((family, element), out var set) ? set : _portOwners[(family, element)] = []).Add(owner);
            }
        }
    }

    public void RemovePortMappings(NetworkFirewallSpec network, IReadOnlyList<PortMapping> mappings)
    {
        var elements = PortElements(network, mappings);
        lock (_lock)
        {
            var last = new List<(string Family, NftElement Element)>();
            foreach (var (family, element, owner) in elements)
            {
                if (_portOwners.TryGetValue((family, element), out var owners))
                {
                    owners.Remove(owner);
                    if (owners.Count > 0)
                    {
                        continue;
                    }

                    _portOwners.Remove((family, element));
                }

                last.Add((family, element));
            }

            var script = NetPortalNftLayout.Tables
                .SelectMany(t => NftScript.EnsureAbsent(t, [.. last.Where(e => e.Family == t.Family.Name).Select(e => e.Element).Distinct()]))
                .ToList();
            Change(script, $"unpublish {mappings.Count} port(s) on {network.BridgeName}");
        }
    }

    private List<(string Family, NftElement Element, (string, PortMapping) Owner)> PortElements(
        NetworkFirewallSpec network, IReadOnlyList<PortMapping> mappings) =>
        [.. from m in mappings
            from t in NetPortalNftLayout.Tables
            from e in NetPortalNftLayout.ForPortMapping(network.BridgeName, m, t.Family, Hairpin)
            select (t.Family.Name, e, (network.BridgeName, m))];
}
