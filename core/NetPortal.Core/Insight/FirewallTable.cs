namespace NetPortal.Core.Insight;

/// <summary>A table of one family (ipv4, ipv6, inet, ...) with its chains in dump order.</summary>
public sealed record FirewallTable(string Family, string Table, IReadOnlyList<FirewallChain> Chains)
{
    public FirewallChain? Chain(string name) => Chains.FirstOrDefault(c => c.Name == name);
}
