using System.Globalization;

namespace NetPortal.Core.Insight;

/// <summary>
/// Parses `iptables-save -c` (or plain iptables-save) text: "*table" sections, ":CHAIN POLICY [p:b]" declarations and
/// "[p:b] -A CHAIN spec" rules. Chains keep the order of their declarations; lines it does not know are skipped.
/// </summary>
public static class IptablesSaveParser
{
    public static IReadOnlyList<FirewallTable> Parse(string text, string family)
    {
        var tables = new List<FirewallTable>();
        string? table = null;
        var order = new List<string>();
        var policies = new Dictionary<string, string>(StringComparer.Ordinal);
        var rules = new Dictionary<string, List<FirewallRule>>(StringComparer.Ordinal);

        void Flush()
        {
            if (table is null) return;
            tables.Add(new FirewallTable(family, table, order.Select(c => new FirewallChain(c, policies[c], rules.TryGetValue(c, out var r) ? r : [])).ToList()));
            order.Clear();
            policies.Clear();
            rules.Clear();
        }

        void Declare(string chain, string policy)
        {
            if (!policies.ContainsKey(chain)) order.Add(chain);
            policies[chain] = policy;
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r', ' ');
            if (line.Length == 0 || line[0] == '#') continue;
            if (line[0] == '*')
            {
                Flush();
                table = line[1..];
                continue;
            }
            if (table is null) continue;
            if (line == "COMMIT")
            {
                Flush();
                table = null;
                continue;
            }
            if (line[0] == ':')
            {
                var parts = line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                Declare(parts[0], parts.Length > 1 ? parts[1] : "-");
                continue;
            }

            ulong packets = 0, bytes = 0;
            if (line[0] == '[')
            {
                var close = line.IndexOf(']');
                if (close < 0) continue;
                var counters = line[1..close].Split(':');
                if (counters.Length == 2)
                {
                    ulong.TryParse(counters[0], NumberStyles.None, CultureInfo.InvariantCulture, out packets);
                    ulong.TryParse(counters[1], NumberStyles.None, CultureInfo.InvariantCulture, out bytes);
                }
                line = line[(close + 1)..].TrimStart();
            }
            if (!line.StartsWith("-A ", StringComparison.Ordinal)) continue;
            var space = line.IndexOf(' ', 3);
            var chain = space < 0 ? line[3..] : line[3..space];
            var spec = space < 0 ? "" : line[(space + 1)..];
            if (!policies.ContainsKey(chain)) Declare(chain, "-");
            if (!rules.TryGetValue(chain, out var list)) rules[chain] = list = [];
            list.Add(new FirewallRule(list.Count + 1, line, spec, packets, bytes));
        }
        Flush();
        return tables;
    }
}
