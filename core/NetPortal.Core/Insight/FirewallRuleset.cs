namespace NetPortal.Core.Insight;

/// <summary>The parsed ruleset of the managed namespace; the JSON of GET /netportal/firewall.</summary>
public sealed record FirewallRuleset(string Backend, IReadOnlyList<FirewallTable> Tables)
{
    public FirewallTable? Table(string family, string table) => Tables.FirstOrDefault(t => t.Family == family && t.Table == table);

    /// <summary>Parses every dump (iptables-save or nft text) into one ruleset.</summary>
    public static FirewallRuleset Parse(string backend, IEnumerable<RulesDump> dumps) =>
        new(backend, dumps.SelectMany(d => d.Format == RulesDump.Nft ? NftListParser.Parse(d.Text) : IptablesSaveParser.Parse(d.Text, d.Family)).ToList());
}
