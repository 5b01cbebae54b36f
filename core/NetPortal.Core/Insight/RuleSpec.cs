using System.Text.RegularExpressions;

namespace NetPortal.Core.Insight;

/// <summary>
/// The matches and target of one rule, read from iptables-save's spelling (-i/-o/-s/-d/-p/--dport/-m .../-j) or,
/// best-effort, from nft's (iifname/oifname/ip saddr/ip daddr/tcp dport/ct state/verdict). Options it does not
/// model land in <see cref="Unknown"/>; the evaluator treats such rules as not matching and says so.
/// </summary>
public sealed partial record RuleSpec(IReadOnlyList<RuleCondition> Conditions, string Target, IReadOnlyList<string> TargetArgs, bool Goto, IReadOnlyList<string> Unknown)
{
    private static readonly HashSet<string> KnownModules = ["tcp", "udp", "sctp", "conntrack", "state", "addrtype", "comment"];

    public string? Value(string key) => Conditions.FirstOrDefault(c => c.Key == key && !c.Negated)?.Value;

    public static RuleSpec Parse(string spec, bool nft = false) => nft ? ParseNft(spec) : ParseIptables(spec);

    private static RuleSpec ParseIptables(string spec)
    {
        var tokens = Tokenize(spec);
        var conditions = new List<RuleCondition>();
        var unknown = new List<string>();
        var target = "";
        var args = new List<string>();
        var isGoto = false;
        var negate = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            string Next() => i + 1 < tokens.Count ? tokens[++i] : "";
            switch (t)
            {
                case "!":
                    negate = true;
                    continue;
                case "-i" or "--in-interface": conditions.Add(new("in", Next(), negate)); break;
                case "-o" or "--out-interface": conditions.Add(new("out", Next(), negate)); break;
                case "-s" or "--source": conditions.Add(new("src", Next(), negate)); break;
                case "-d" or "--destination": conditions.Add(new("dst", Next(), negate)); break;
                case "-p" or "--protocol": conditions.Add(new("proto", Next(), negate)); break;
                case "--dport" or "--destination-port": conditions.Add(new("dport", Next(), negate)); break;
                case "--ctstate" or "--state": conditions.Add(new("ctstate", Next(), negate)); break;
                case "--dst-type": conditions.Add(new("dst-type", Next(), negate)); break;
                case "--src-type": conditions.Add(new("src-type", Next(), negate)); break;
                case "--comment": Next(); break;
                case "-m" or "--match":
                    var module = Next();
                    if (!KnownModules.Contains(module)) unknown.Add("-m " + module);
                    break;
                case "-j" or "--jump" or "-g" or "--goto":
                    isGoto = t is "-g" or "--goto";
                    target = Next();
                    // Everything after the target belongs to it (--to-destination, --reject-with, ...).
                    while (i + 1 < tokens.Count) args.Add(tokens[++i]);
                    break;
                default:
                    if (t.StartsWith('-')) unknown.Add(negate ? "! " + t : t);
                    break;
            }
            negate = false;
        }
        return new RuleSpec(conditions, target, args, isGoto, unknown);
    }

    private static RuleSpec ParseNft(string spec)
    {
        var tokens = Tokenize(spec);
        var conditions = new List<RuleCondition>();
        var unknown = new List<string>();
        var target = "";
        var args = new List<string>();
        var isGoto = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            bool Negated() => i + 1 < tokens.Count && tokens[i + 1] == "!=" && (i++ >= 0);
            string Next() => i + 1 < tokens.Count ? tokens[++i] : "";
            switch (t)
            {
                case "iifname" or "iif": { var n = Negated(); conditions.Add(new("in", Next().Replace("*", "+"), n)); break; }
                case "oifname" or "oif": { var n = Negated(); conditions.Add(new("out", Next().Replace("*", "+"), n)); break; }
                case "ip" or "ip6" when i + 1 < tokens.Count && tokens[i + 1] is "saddr" or "daddr":
                {
                    var key = Next() == "saddr" ? "src" : "dst";
                    var n = Negated();
                    conditions.Add(new(key, Next(), n));
                    break;
                }
                case "meta" when i + 1 < tokens.Count && tokens[i + 1] == "l4proto":
                    Next();
                    conditions.Add(new("proto", Next(), Negated()));
                    break;
                case "tcp" or "udp" or "sctp" when i + 1 < tokens.Count && tokens[i + 1] == "dport":
                    conditions.Add(new("proto", t, false));
                    Next();
                    { var n = Negated(); conditions.Add(new("dport", Next(), n)); }
                    break;
                case "ct" when i + 1 < tokens.Count && tokens[i + 1] == "state":
                    Next();
                    { var n = Negated(); conditions.Add(new("ctstate", Next().ToUpperInvariant(), n)); }
                    break;
                case "fib" when i + 3 < tokens.Count && tokens[i + 2] == "type":
                    var which = Next() == "daddr" ? "dst-type" : "src-type";
                    Next();
                    conditions.Add(new(which, Next().ToUpperInvariant(), false));
                    break;
                case "counter" or "comment":
                    if (t == "comment") Next();
                    break;
                case "accept" or "drop" or "return" or "masquerade":
                    target = t.ToUpperInvariant();
                    break;
                case "reject":
                    target = "REJECT";
                    while (i + 1 < tokens.Count) args.Add(tokens[++i]);
                    break;
                case "jump" or "goto":
                    isGoto = t == "goto";
                    target = Next();
                    break;
                case "dnat" or "snat":
                    target = t.ToUpperInvariant();
                    while (i + 1 < tokens.Count)
                    {
                        var a = tokens[++i];
                        if (a is "to" or "ip" or "ip6") continue;
                        args.Add("--to-destination");
                        args.Add(a);
                    }
                    break;
                default:
                    unknown.Add(t);
                    break;
            }
        }
        return new RuleSpec(conditions, target, args, isGoto, unknown);
    }

    private static List<string> Tokenize(string spec)
    {
        var tokens = new List<string>();
        foreach (Match m in Token().Matches(spec)) tokens.Add(m.Groups["q"].Success ? m.Groups["q"].Value : m.Value);
        return tokens;
    }

    [GeneratedRegex("\"(?<q>(?:[^\"\\\\]|\\\\.)*)\"|\\S+")]
    private static partial Regex Token();
}
