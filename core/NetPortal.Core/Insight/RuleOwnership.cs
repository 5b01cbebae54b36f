using System.Globalization;

namespace NetPortal.Core.Insight;

/// <summary>
/// Tags each rule with its owner: DOCKER-USER (or the nftables user chain) is the user's; a DNAT/ACCEPT/MASQUERADE
/// of a published mapping is that port's; a rule naming a network's bridge or subnet is the network's; Docker's
/// chains and jumps into them are the daemon's; anything else is the user's. Pure.
/// </summary>
public static class RuleOwnership
{
    /// <summary>The nftables backend's table and user chain (see NetPortal.Linux NetPortalNftLayout).</summary>
    public const string NftTable = "netportal";
    public const string NftUserChain = "user-forward";

    public static FirewallRuleset Classify(FirewallRuleset rules, IReadOnlyList<InsightNetwork> networks, IReadOnlyList<InsightSandbox> sandboxes)
    {
        var nft = rules.Backend == "nftables";
        var tables = rules.Tables.Select(t => t with
        {
            Chains = t.Chains.Select(c => c with { Rules = c.Rules.Select(r => r with { Owner = OwnerOf(t, c, r, nft, networks, sandboxes) }).ToList() }).ToList(),
        }).ToList();
        return rules with { Tables = tables };
    }

    public static RuleOwner OwnerOf(FirewallTable table, FirewallChain chain, FirewallRule rule, bool nft, IReadOnlyList<InsightNetwork> networks, IReadOnlyList<InsightSandbox> sandboxes)
    {
        if (chain.Name == "DOCKER-USER" || (nft && chain.Name == NftUserChain)) return new RuleOwner(RuleOwner.UserKind, "", chain.Name);
        var spec = RuleSpec.Parse(rule.Spec, nft);
        if (PortOwner(spec, sandboxes) is { } port) return port;
        foreach (var n in networks)
        {
            if (n.Bridge is null) continue;
            var bridgeNamed = spec.Conditions.Any(c => c.Key is "in" or "out" && c.Value == n.Bridge);
            var subnetNamed = spec.Conditions.Any(c => c.Key is "src" or "dst" && n.Subnets.Contains(c.Value));
            if (bridgeNamed || subnetNamed) return new RuleOwner(RuleOwner.NetworkKind, n.Id, n.Name);
        }
        if (nft && table.Table == NftTable) return RuleOwner.Daemon("netportal table");
        if (chain.Name.StartsWith("DOCKER", StringComparison.Ordinal)) return RuleOwner.Daemon("base chain");
        if (spec.Target.StartsWith("DOCKER", StringComparison.Ordinal)) return RuleOwner.Daemon("jump");
        return RuleOwner.Unknown;
    }

    private static RuleOwner? PortOwner(RuleSpec spec, IReadOnlyList<InsightSandbox> sandboxes)
    {
        var dport = spec.Value("dport");
        if (dport is null) return null;
        var proto = spec.Value("proto");
        foreach (var s in sandboxes)
        {
            foreach (var p in s.Ports)
            {
                if (proto is not null && proto != p.Protocol) continue;
                var hostPort = p.HostPort.ToString(CultureInfo.InvariantCulture);
                var containerPort = p.ContainerPort.ToString(CultureInfo.InvariantCulture);
                var host32 = p.ContainerIp + (p.ContainerIp.Contains(':') ? "/128" : "/32");
                var dnat = spec.Target == "DNAT" && dport == hostPort
                    && spec.TargetArgs.Any(a => a == $"{p.ContainerIp}:{containerPort}" || a == $"[{p.ContainerIp}]:{containerPort}");
                var toContainer = dport == containerPort && spec.Conditions.Any(c => c.Key == "dst" && !c.Negated && (c.Value == host32 || c.Value == p.ContainerIp));
                if (dnat || toContainer)
                    return new RuleOwner(RuleOwner.PortKind, s.ContainerId, $"{p.HostPort}/{p.Protocol} → {s.Name}:{p.ContainerPort}");
            }
        }
        return null;
    }
}
