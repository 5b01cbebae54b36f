using System.Globalization;
using System.Text.RegularExpressions;

namespace NetPortal.Core.Insight;

/// <summary>
/// Best-effort reader of `nft list ruleset` text: tables, chains (with hook and policy), and rule lines with their
/// "counter packets N bytes M". Sets, maps and flowtables are skipped.
/// </summary>
public static partial class NftListParser
{
    public static IReadOnlyList<FirewallTable> Parse(string text)
    {
        var tables = new List<FirewallTable>();
        string? family = null, table = null, chain = null, hook = null, type = null, policy = null;
        var chains = new List<FirewallChain>();
        var rules = new List<FirewallRule>();
        var skipDepth = 0;

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (skipDepth > 0)
            {
                if (line.EndsWith('{')) skipDepth++;
                if (line == "}") skipDepth--;
                continue;
            }
            var m = TableLine().Match(line);
            if (m.Success)
            {
                family = m.Groups["f"].Value switch { "ip" => "ipv4", "ip6" => "ipv6", var f => f };
                table = m.Groups["t"].Value;
                chains = [];
                continue;
            }
            m = ChainLine().Match(line);
            if (m.Success && table is not null)
            {
                chain = m.Groups["c"].Value;
                hook = null;
                type = null;
                policy = null;
                rules = [];
                continue;
            }
            if (line.EndsWith('{'))
            {
                // set, map, flowtable, ... blocks
                skipDepth = 1;
                continue;
            }
            if (line == "}")
            {
                if (chain is not null)
                {
                    chains.Add(new FirewallChain(chain, policy ?? (hook is null ? "-" : "ACCEPT"), rules) { Hook = hook, Type = type });
                    chain = null;
                }
                else if (table is not null)
                {
                    tables.Add(new FirewallTable(family!, table, chains));
                    table = null;
                }
                continue;
            }
            if (chain is null) continue;
            m = BaseChain().Match(line);
            if (m.Success)
            {
                hook = m.Groups["h"].Value;
                type = m.Groups["t"].Value;
                policy = m.Groups["p"].Success ? m.Groups["p"].Value.ToUpperInvariant() : "ACCEPT";
                continue;
            }
            ulong packets = 0, bytes = 0;
            var counter = Counter().Match(line);
            if (counter.Success)
            {
                packets = ulong.Parse(counter.Groups["p"].Value, CultureInfo.InvariantCulture);
                bytes = ulong.Parse(counter.Groups["b"].Value, CultureInfo.InvariantCulture);
            }
            var spec = Counter().Replace(line, "counter").Trim();
            rules.Add(new FirewallRule(rules.Count + 1, spec, spec, packets, bytes));
        }
        return tables;
    }

    [GeneratedRegex(@"^table (?<f>\S+) (?<t>\S+) \{$")]
    private static partial Regex TableLine();

    [GeneratedRegex(@"^chain (?<c>\S+) \{$")]
    private static partial Regex ChainLine();

    [GeneratedRegex(@"^type (?<t>\S+) hook (?<h>\S+)(?: device \S+)? priority [^;]+;(?: policy (?<p>\w+);)?")]
    private static partial Regex BaseChain();

    [GeneratedRegex(@"counter packets (?<p>\d+) bytes (?<b>\d+)")]
    private static partial Regex Counter();
}
