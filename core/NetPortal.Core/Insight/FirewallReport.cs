namespace NetPortal.Core.Insight;

/// <summary>GET /netportal/firewall: the live ruleset with counters, each rule tagged with its owner.</summary>
public sealed class FirewallReport(IFirewallInspector inspector, InsightSource source)
{
    /// <summary>The classified ruleset as the kernel has it now.</summary>
    public FirewallRuleset Current() =>
        RuleOwnership.Classify(FirewallRuleset.Parse(inspector.Backend, inspector.Dump()), source.Networks(), source.Sandboxes());

    /// <summary>Only rules of the network or container (published ports) named; 404 for unknown names.</summary>
    public FirewallRuleset Build(string? network, string? container)
    {
        var rules = Current();
        if (string.IsNullOrEmpty(network) && string.IsNullOrEmpty(container)) return rules;
        var networkId = string.IsNullOrEmpty(network) ? null : source.NetworkService.Inspect(network).Id;
        var containerId = string.IsNullOrEmpty(container) ? null : source.ContainerService.Inspect(container).Id;
        bool Keep(FirewallRule r) =>
            (networkId is null || (r.Owner.Kind == RuleOwner.NetworkKind && r.Owner.Id == networkId))
            && (containerId is null || (r.Owner.Kind == RuleOwner.PortKind && r.Owner.Id == containerId));
        var tables = rules.Tables
            .Select(t => t with { Chains = t.Chains.Select(c => c with { Rules = c.Rules.Where(Keep).ToList() }).Where(c => c.Rules.Count > 0).ToList() })
            .Where(t => t.Chains.Count > 0)
            .ToList();
        return rules with { Tables = tables };
    }
}
