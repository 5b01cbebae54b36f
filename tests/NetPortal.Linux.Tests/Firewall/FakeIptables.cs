using NetPortal.Linux.Firewall;

namespace NetPortal.Linux.Tests.Firewall;

/// <summary>
/// iptables-save / iptables-restore --noflush over an in-memory ruleset, for tests without a kernel.
/// Like the real restore it applies a batch all or nothing and fails on -D of a missing rule.
/// </summary>
internal sealed class FakeIptables
{
    private const string FreshHost = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";

    // FORWARD DROP: what dockerd leaves after enabling ip_forward, so renders compare with its captures.
    public Dictionary<string, IptablesRuleset> Families { get; } = new()
    {
        ["iptables"] = IptablesRuleset.Parse(FreshHost),
        ["ip6tables"] = IptablesRuleset.Parse(FreshHost),
    };

    public List<string> Runs { get; } = [];

    public string Save(string family = "iptables") => Families[family].Render();

    public ProcessResult Run(string file, IReadOnlyList<string> args, string? stdin)
    {
        Runs.Add(file);
        var family = file[..file.LastIndexOf('-')];
        if (file.EndsWith("-save", StringComparison.Ordinal))
        {
            return new ProcessResult(0, Families[family].Render(), "");
        }

        if (!args.Contains("--noflush"))
        {
            return new ProcessResult(2, "", "fake: only --noflush is supported");
        }

        var copy = IptablesRuleset.Parse(Families[family].Render());
        var table = "";
        var lineNo = 0;
        foreach (var line in (stdin ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            lineNo++;
            if (line[0] == '*')
            {
                table = line[1..];
                continue;
            }

            if (line == "COMMIT")
            {
                continue;
            }

            if (line[0] == ':')
            {
                var chain = line[1..line.IndexOf(' ')];
                if (copy.HasChain(table, chain))
                {
                    return new ProcessResult(1, "", $"fake: line {lineNo}: declaring existing chain {chain} would flush it");
                }

                copy.AddChain(table, chain);
                continue;
            }

            var parts = line.Split(' ', 3);
            // "-I CHAIN N spec" inserts at 1-based position N, as iptables does.
            var position = 1;
            if (parts[0] == "-I" && parts[2].Split(' ', 2) is [var n, var rest] && int.TryParse(n, out var p))
            {
                position = p;
                parts[2] = rest;
            }
            var rule = new IptablesRule(table, parts[1], parts[2]);
            if (!copy.HasChain(table, rule.Chain) && parts[0] != "-D")
            {
                return new ProcessResult(1, "", $"fake: line {lineNo}: no chain {rule.Chain}");
            }

            switch (parts[0])
            {
                case "-I" when position > copy.Rules(table, rule.Chain).Count + 1:
                    return new ProcessResult(1, "", $"fake: line {lineNo}: index of insertion too big");
                case "-I": copy.InsertAt(rule, position - 1); break;
                case "-A": copy.Append(rule); break;
                case "-D" when copy.Delete(rule): break;
                default: return new ProcessResult(1, "", $"fake: line {lineNo} failed: {line}");
            }
        }

        Families[family] = copy;
        return new ProcessResult(0, "", "");
    }
}
