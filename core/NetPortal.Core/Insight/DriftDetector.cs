using System.Text.RegularExpressions;
using NetPortal.Core.Ipam;

namespace NetPortal.Core.Insight;

/// <summary>
/// Compares the records with the kernel: each bridge network's bridge (present, up, with its gateway addresses),
/// its expected firewall rules, br-&lt;12 hex&gt; bridges and rules nobody owns, host-side veths of running
/// endpoints, and sandboxes on disk without a container. Repair runs the daemon's start-up reconcile.
/// </summary>
public sealed partial class DriftDetector(InsightSource source, IHostInterfaces host, IFirewallInspector firewall, IBridgeSpecs bridges)
{
    public DriftReport Detect()
    {
        var items = new List<DriftItem>();
        var links = host.List().ToDictionary(l => l.Name, StringComparer.Ordinal);
        var dumped = FirewallRuleset.Parse(firewall.Backend, firewall.Dump());
        var present = dumped.Tables.SelectMany(t => t.Chains.SelectMany(c => c.Rules.Select(r => (t.Family, t.Table, c.Name, r.Spec)))).ToHashSet();
        var ownBridges = new HashSet<string>(StringComparer.Ordinal);

        foreach (var n in source.NetworkService.All.Where(n => n.Driver == "bridge"))
        {
            var spec = bridges.SpecOf(n);
            if (spec is null) continue;
            var subject = $"network {n.Name}";
            ownBridges.Add(spec.BridgeName);
            var gateways = n.Pools.Where(p => p.Gateway is not null)
                .Select(p => $"{p.Gateway}/{Cidr.Parse(p.Subnet).PrefixLength}").ToList();
            if (!links.TryGetValue(spec.BridgeName, out var link))
            {
                var with = gateways.Count > 0 ? " with " + string.Join(", ", gateways) : "";
                items.Add(new("missing-bridge", subject, $"bridge {spec.BridgeName}{with}", "absent", true));
            }
            else
            {
                if (!link.Up) items.Add(new("bridge-down", subject, $"bridge {spec.BridgeName} up", "down", true));
                foreach (var g in gateways.Where(g => !link.Addresses.Contains(g)))
                    items.Add(new("missing-address", subject, $"{g} on {spec.BridgeName}", link.Addresses.Count == 0 ? "no address" : string.Join(", ", link.Addresses), true));
            }
            if (firewall.Backend == "iptables")
            {
                foreach (var rule in firewall.ExpectedRules(spec).Where(r => !present.Contains((r.Family, r.Table, r.Chain, r.Spec))))
                    items.Add(new("missing-rule", subject, $"-t {rule.Table} -A {rule.Chain} {rule.Spec} ({rule.Family})", "absent", true));
            }
        }

        foreach (var link in links.Values.Where(l => l.Kind == "bridge" && GeneratedBridge().IsMatch(l.Name) && !ownBridges.Contains(l.Name)))
            items.Add(new("orphan-bridge", $"bridge {link.Name}", "no bridge (no network owns it)", "present", true));

        if (firewall.Backend == "iptables")
        {
            foreach (var (table, chain, rule) in dumped.Tables.SelectMany(t => t.Chains.SelectMany(c => c.Rules.Select(r => (t, c, r)))))
            {
                if (chain.Name == "DOCKER-USER") continue;
                var named = RuleSpec.Parse(rule.Spec).Conditions.Where(c => c.Key is "in" or "out").Select(c => c.Value)
                    .FirstOrDefault(b => GeneratedBridge().IsMatch(b) && !ownBridges.Contains(b));
                if (named is not null)
                    items.Add(new("orphan-rule", $"bridge {named}", "no rule (no network owns the bridge)", $"-t {table.Table} {rule.Text}", true));
            }
        }

        foreach (var s in source.Sandboxes().Where(s => s.State == "running"))
        {
            foreach (var e in s.Endpoints.Where(e => e.HostInterface.Length > 0 && !links.ContainsKey(e.HostInterface)))
                items.Add(new("missing-veth", $"container {s.Name}", $"veth {e.HostInterface} for {e.Interface} on network {e.NetworkName}", "absent", false));
        }

        foreach (var orphan in source.ContainerService.OrphanSandboxes())
            items.Add(new("orphan-sandbox", $"sandbox {orphan}", "no sandbox (no container owns it)", "present", true));

        return new DriftReport(items);
    }

    /// <summary>Runs the start-up reconcile of networks and sandboxes; returns what it changed.</summary>
    public async Task<RepairReport> RepairAsync(CancellationToken ct)
    {
        var changes = new List<string>(await source.NetworkService.ReconcileAsync(ct));
        changes.AddRange(source.ContainerService.RemoveOrphanSandboxes());
        return new RepairReport(changes);
    }

    [GeneratedRegex("^br-[0-9a-f]{12}$")]
    private static partial Regex GeneratedBridge();
}
