using NetPortal.Core.Drivers;
using NetPortal.Core.Ports;
using NetPortal.Linux.Ports;

namespace NetPortal.Linux.Firewall;

/// <summary>
/// Published ports. dockerd appends the three rules of a mapping with plain -A and removes them with one -D each,
/// so two mappings to the same container port (-p 8080:80 -p 8081:80) leave two copies of the ACCEPT and MASQUERADE
/// rules, and removing one mapping keeps the other's copy. Here every rule has an owner set (the bridge and mapping
/// that need it) and each change sets the number of copies in the kernel to the number of owners: the same
/// iptables-save as dockerd, but publishing the same mappings again (adopted containers after a restart) is a no-op
/// instead of a second copy. Reconcile never touches port rules (DockerIptablesRules.IsPortRule): they survive a
/// restart and are removed by their owner's unpublish. Owners live in memory only: after a restart an unpublish of a
/// mapping nobody re-published removes every copy of its rules (rules of one endpoint are never shared with another,
/// since they name the container's address).
/// </summary>
public sealed partial class IptablesFirewall : IPortFirewall
{
    private readonly Lock _portLock = new();
    private readonly Dictionary<(string Family, IptablesRule Rule), HashSet<(string Bridge, PortMapping Mapping)>> _portOwners = [];

    /// <summary>
    /// dockerd's --userland-proxy=false: hairpin NAT. The OUTPUT jump also covers 127.0.0.0/8, DNAT applies to
    /// traffic from the bridge too (no "-i bridge -j RETURN", no "! -i bridge" on DNAT), and each bridge gets
    /// "-o bridge -m addrtype --src-type LOCAL -j MASQUERADE" for connections from the host's own addresses.
    /// </summary>
    public bool Hairpin { get; init; }

    public void AddPortMappings(NetworkFirewallSpec network, IReadOnlyList<PortMapping> mappings)
    {
        var (bridge, rules) = Render(network, mappings, Hairpin);
        var added = new List<((string, IptablesRule), (string, PortMapping))>();
        lock (_portLock)
        {
            foreach (var (family, rule, mapping) in rules)
            {
                var owners = _portOwners.TryGetValue((family.Name, rule), out var set) ? set : _portOwners[(family.Name, rule)] = [];
                if (owners.Add((bridge, mapping)))
                {
                    added.Add(((family.Name, rule), (bridge, mapping)));
                }
            }
        }

        try
        {
            Submit(new Request(Fresh: false, Steps(rules, [])));
        }
        catch
        {
            // The restore is all or nothing, so the kernel has none of them; neither may the owner sets.
            lock (_portLock)
            {
                foreach (var (key, owner) in added)
                {
                    Disown(key, owner);
                }
            }

            throw;
        }
    }

    public void RemovePortMappings(NetworkFirewallSpec network, IReadOnlyList<PortMapping> mappings)
    {
        var (bridge, rules) = Render(network, mappings, Hairpin);
        // The other hairpin spelling of the DNAT rule: left by a daemon that ran with the other userland-proxy setting.
        var (_, other) = Render(network, mappings, !Hairpin);
        var current = rules.Select(r => (r.Family, r.Rule)).ToHashSet();
        var stale = other.Where(o => !current.Contains((o.Family, o.Rule))).ToList();
        lock (_portLock)
        {
            foreach (var (family, rule, mapping) in rules.Concat(stale))
            {
                Disown((family.Name, rule), (bridge, mapping));
            }
        }

        Submit(new Request(Fresh: false, Steps(rules, stale)));
    }

    /// <summary>Renders (and so validates) every rule before anything is recorded or written.</summary>
    private static (string Bridge, List<(Family Family, IptablesRule Rule, PortMapping Mapping)> Rules) Render(
        NetworkFirewallSpec network, IReadOnlyList<PortMapping> mappings, bool hairpin)
    {
        var bridge = DockerIptablesRules.ValidBridgeName(network.BridgeName);
        var rules = new List<(Family, IptablesRule, PortMapping)>();
        foreach (var mapping in mappings)
        {
            foreach (var family in new[] { V4, V6 })
            {
                foreach (var rule in DockerIptablesRules.ForPortMapping(bridge, mapping, hairpin, ipv6: family == V6))
                {
                    rules.Add((family, rule, mapping));
                }
            }
        }

        return (bridge, rules);
    }

    /// <summary>One step per family that has rules: each rule's copies set to its owner count, in dockerd's order.</summary>
    private List<Step> Steps(List<(Family Family, IptablesRule Rule, PortMapping Mapping)> rules, List<(Family Family, IptablesRule Rule, PortMapping Mapping)> stale)
    {
        var steps = new List<Step>();
        foreach (var family in new[] { V4, V6 })
        {
            var mine = rules.Concat(stale).Where(r => r.Family == family).Select(r => r.Rule).Distinct().ToList();
            if (mine.Count == 0)
            {
                continue;
            }

            steps.Add(new Step(family, Required: true, batch =>
            {
                // The DOCKER chains exist once the network's rules do; ensuring them keeps a restore from failing
                // on a missing chain when rules were flushed by hand.
                DockerIptablesRules.EnsureBase(batch, family == V6, Hairpin);
                foreach (var rule in mine)
                {
                    SetCopies(batch, rule, Owners(family, rule));
                }
            }));
        }

        return steps;
    }

    private int Owners(Family family, IptablesRule rule)
    {
        lock (_portLock)
        {
            return _portOwners.TryGetValue((family.Name, rule), out var owners) ? owners.Count : 0;
        }
    }

    private void Disown((string, IptablesRule) key, (string, PortMapping) owner)
    {
        if (_portOwners.TryGetValue(key, out var owners) && owners.Remove(owner) && owners.Count == 0)
        {
            _portOwners.Remove(key);
        }
    }

    private static void SetCopies(IptablesBatch batch, IptablesRule rule, int wanted)
    {
        var present = batch.State.Count(rule);
        for (; present < wanted; present++)
        {
            batch.AppendCopy(rule);
        }

        for (; present > wanted && batch.DeleteOne(rule); present--)
        {
        }
    }
}
