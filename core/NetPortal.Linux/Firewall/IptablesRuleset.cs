using System.Text;

namespace NetPortal.Linux.Firewall;

/// <summary>
/// In-memory copy of one address family's iptables-save output. Batches are planned against it, so
/// "-D only what exists" and "-I only what is missing" are decided from one read of the kernel, and the
/// same model renders what iptables-save will print afterwards (golden tests need no kernel).
/// </summary>
internal sealed class IptablesRuleset
{
    // iptables-save prints tables and built-in chains in this order, then user chains sorted by name.
    private static readonly string[] TableOrder = ["raw", "mangle", "filter", "nat", "security"];

    private static readonly Dictionary<string, string[]> BuiltinChains = new(StringComparer.Ordinal)
    {
        ["raw"] = ["PREROUTING", "OUTPUT"],
        ["mangle"] = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
        ["filter"] = ["INPUT", "FORWARD", "OUTPUT"],
        ["nat"] = ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
        ["security"] = ["INPUT", "FORWARD", "OUTPUT"],
    };

    private readonly Dictionary<string, Table> _tables = new(StringComparer.Ordinal);

    /// <summary>Parses iptables-save text; comments and counters are ignored.</summary>
    public static IptablesRuleset Parse(string save)
    {
        var set = new IptablesRuleset();
        Table? current = null;
        foreach (var raw in save.Split('\n'))
        {
            var line = raw.TrimEnd('\r', ' ');
            if (line.Length == 0 || line[0] == '#' || line == "COMMIT")
            {
                continue;
            }

            if (line[0] == '*')
            {
                current = set.GetTable(line[1..]);
            }
            else if (current is null)
            {
                throw new FormatException($"iptables-save: line outside a table: {line}");
            }
            else if (line[0] == ':')
            {
                var parts = line[1..].Split(' ');
                current.Declare(parts[0], parts.Length > 1 ? parts[1] : "-");
            }
            else if (line.StartsWith("-A ", StringComparison.Ordinal))
            {
                var space = line.IndexOf(' ', 3);
                var chain = space < 0 ? line[3..] : line[3..space];
                current.Rules(chain).Add(space < 0 ? "" : line[(space + 1)..]);
            }
            else
            {
                throw new FormatException($"iptables-save: unexpected line: {line}");
            }
        }

        return set;
    }

    public bool HasChain(string table, string chain) =>
        _tables.TryGetValue(table, out var t) && t.Policies.ContainsKey(chain);

    public IReadOnlyList<string> Rules(string table, string chain) =>
        _tables.TryGetValue(table, out var t) && t.RuleLists.TryGetValue(chain, out var rules) ? rules : [];

    public bool Contains(IptablesRule rule) => List(rule) is { } list && list.Contains(rule.Spec);

    public int Count(IptablesRule rule) => List(rule)?.CountOf(rule.Spec) ?? 0;

    /// <summary>Every rule, table by table, in save order.</summary>
    public IEnumerable<IptablesRule> AllRules()
    {
        foreach (var table in OrderedTables())
        {
            foreach (var chain in table.OrderedChains())
            {
                foreach (var spec in table.Rules(chain))
                {
                    yield return new IptablesRule(table.Name, chain, spec);
                }
            }
        }
    }

    public void AddChain(string table, string chain) => GetTable(table).Declare(chain, "-");

    public void Insert(IptablesRule rule) => GetTable(rule.Table).Rules(rule.Chain).Insert(0, rule.Spec);

    /// <summary>Inserts at a 0-based index (iptables' -I CHAIN N uses index + 1).</summary>
    public void InsertAt(IptablesRule rule, int index) => GetTable(rule.Table).Rules(rule.Chain).Insert(index, rule.Spec);

    public void Append(IptablesRule rule) => GetTable(rule.Table).Rules(rule.Chain).Add(rule.Spec);

    /// <summary>Removes the first occurrence, as iptables -D does.</summary>
    public bool Delete(IptablesRule rule) => DeleteFirst(rule) >= 0;

    /// <summary>Removes the first occurrence and returns its 0-based index, or -1 when there is none.</summary>
    public int DeleteFirst(IptablesRule rule) => List(rule)?.RemoveFirst(rule.Spec) ?? -1;

    private IptablesRuleList? List(IptablesRule rule) =>
        _tables.TryGetValue(rule.Table, out var t) && t.RuleLists.TryGetValue(rule.Chain, out var rules) ? rules : null;

    /// <summary>Every chain with its rule count, table by table (to line the kernel's rule handles up with the model).</summary>
    public IEnumerable<(string Table, string Chain, int Count)> ChainSizes() =>
        OrderedTables().SelectMany(t => t.OrderedChains().Select(c => (t.Name, c, t.Rules(c).Count)));

    /// <summary>iptables-save text without comments, counters zeroed.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        foreach (var table in OrderedTables())
        {
            sb.Append('*').Append(table.Name).Append('\n');
            foreach (var chain in table.OrderedChains())
            {
                sb.Append(':').Append(chain).Append(' ').Append(table.Policies[chain]).Append(" [0:0]\n");
            }

            foreach (var chain in table.OrderedChains())
            {
                foreach (var spec in table.Rules(chain))
                {
                    sb.Append("-A ").Append(chain).Append(' ').Append(spec).Append('\n');
                }
            }

            sb.Append("COMMIT\n");
        }

        return sb.ToString();
    }

    private IEnumerable<Table> OrderedTables() =>
        _tables.Values.OrderBy(t => Array.IndexOf(TableOrder, t.Name) is var i and >= 0 ? i : TableOrder.Length)
            .ThenBy(t => t.Name, StringComparer.Ordinal);

    private Table GetTable(string name)
    {
        if (!_tables.TryGetValue(name, out var table))
        {
            table = new Table(name);
            _tables.Add(name, table);
        }

        return table;
    }

    private sealed class Table(string name)
    {
        public string Name { get; } = name;

        public Dictionary<string, string> Policies { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, IptablesRuleList> RuleLists { get; } = new(StringComparer.Ordinal);

        private string[] Builtins => BuiltinChains.TryGetValue(Name, out var b) ? b : [];

        public void Declare(string chain, string policy)
        {
            // iptables-nft creates all built-in chains of a table with the first rule in it.
            if (Policies.Count == 0)
            {
                foreach (var builtin in Builtins)
                {
                    Policies[builtin] = "ACCEPT";
                }
            }

            Policies[chain] = policy;
        }

        public IptablesRuleList Rules(string chain)
        {
            if (!Policies.ContainsKey(chain))
            {
                Declare(chain, Array.IndexOf(Builtins, chain) >= 0 ? "ACCEPT" : "-");
            }

            if (!RuleLists.TryGetValue(chain, out var rules))
            {
                rules = [];
                RuleLists.Add(chain, rules);
            }

            return rules;
        }

        public IEnumerable<string> OrderedChains() =>
            Builtins.Where(Policies.ContainsKey)
                .Concat(Policies.Keys.Where(c => Array.IndexOf(Builtins, c) < 0).Order(StringComparer.Ordinal));
    }
}
