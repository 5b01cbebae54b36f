using System.Globalization;
using System.Net;
using NetPortal.Core.Ipam;

namespace NetPortal.Core.Insight;

/// <summary>
/// Walks a probe packet through the chains of one table in order, as the kernel would for the first packet of a
/// connection: matched rules become steps, jumps recurse, RETURN and the end of a user chain go back, the end of a
/// built-in chain applies its policy. DNAT rewrites the probe. Not an emulator: matches it does not model are
/// taken as not matching and noted.
/// </summary>
internal sealed class ChainWalk(FirewallTable table, bool nft, List<ReachabilityStep> steps, HashSet<string> notes)
{
    private const int MaxDepth = 32;

    public PacketProbe Packet { get; set; } = null!;

    /// <summary>ACCEPT, DROP or REJECT once decided; null when the chain returned without a verdict.</summary>
    public string? Walk(string chainName, bool decides, int depth = 0)
    {
        var chain = table.Chain(chainName);
        if (chain is null || depth > MaxDepth) return null;
        foreach (var rule in chain.Rules)
        {
            var spec = RuleSpec.Parse(rule.Spec, nft);
            if (!Matches(spec, rule)) continue;
            var target = spec.Target;
            switch (target)
            {
                case "ACCEPT" or "DROP" or "REJECT":
                    steps.Add(Step(chain, rule, decides));
                    return target;
                case "RETURN":
                    steps.Add(Step(chain, rule, false));
                    return null;
                case "DNAT":
                    steps.Add(Step(chain, rule, false) with { Kind = "nat" });
                    ApplyDnat(spec);
                    return "ACCEPT";
                case "MASQUERADE" or "SNAT":
                    steps.Add(Step(chain, rule, false) with { Kind = "nat" });
                    return "ACCEPT";
                case "":
                    continue;
            }
            if (table.Chain(target) is not null)
            {
                steps.Add(Step(chain, rule, false));
                var verdict = Walk(target, decides, depth + 1);
                if (verdict is not null || spec.Goto) return verdict;
                continue;
            }
            notes.Add($"{rule.Text}: target {target} is not modelled; the walk continues past it");
        }
        if (!chain.IsBuiltin) return null;
        if (decides) steps.Add(new ReachabilityStep("policy", table.Table, chain.Name, $"{chain.Name} policy {chain.Policy}", true));
        return chain.Policy is "DROP" or "REJECT" ? "DROP" : "ACCEPT";
    }

    private ReachabilityStep Step(FirewallChain chain, FirewallRule rule, bool decides) =>
        new("rule", table.Table, chain.Name, rule.Text, decides);

    private bool Matches(RuleSpec spec, FirewallRule rule)
    {
        if (spec.Unknown.Count > 0)
        {
            if (spec.Conditions.All(Holds)) notes.Add($"{rule.Text}: {string.Join(", ", spec.Unknown)} not modelled; the rule is taken as not matching");
            return false;
        }
        var protocolOnly = false;
        foreach (var c in spec.Conditions)
        {
            if (Holds(c)) continue;
            if (Packet.Protocol is null && c.Key is "proto" or "dport" && !c.Negated)
            {
                protocolOnly = true;
                continue;
            }
            return false;
        }
        if (protocolOnly)
        {
            notes.Add($"{rule.Text}: applies to one protocol/port only; the explanation is for any protocol");
            return false;
        }
        return true;
    }

    private bool Holds(RuleCondition c)
    {
        var p = Packet;
        var result = c.Key switch
        {
            "in" => p.In is not null && InterfaceMatches(c.Value, p.In),
            "out" => p.Out is not null && InterfaceMatches(c.Value, p.Out),
            "src" => p.Source is not null && AddressMatches(c.Value, p.Source),
            "dst" => p.Destination is not null && AddressMatches(c.Value, p.Destination),
            "proto" => p.Protocol is not null && (c.Value == p.Protocol || c.Value == "all"),
            "dport" => p.DestinationPort is { } port && PortMatches(c.Value, port),
            // The probe is the first packet of a connection.
            "ctstate" => c.Value.Split(',').Contains("NEW"),
            "dst-type" => c.Value == "LOCAL" && p.DstLocal,
            "src-type" => c.Value == "LOCAL" && p.SrcLocal,
            _ => false,
        };
        return result != c.Negated;
    }

    private static bool InterfaceMatches(string pattern, string name) =>
        pattern.EndsWith('+') ? name.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == name;

    private static bool AddressMatches(string value, IPAddress address)
    {
        var text = value.Contains('/') ? value : $"{value}/{(value.Contains(':') ? 128 : 32)}";
        return Cidr.TryParse(text, out var cidr, out _) && cidr.Contains(address);
    }

    private static bool PortMatches(string value, int port)
    {
        var parts = value.Split(new[] { ':', '-' }, 2);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low)) return false;
        var high = low;
        if (parts.Length == 2 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out high)) return false;
        return port >= low && port <= high;
    }

    private void ApplyDnat(RuleSpec spec)
    {
        var i = spec.TargetArgs.ToList().IndexOf("--to-destination");
        if (i < 0 || i + 1 >= spec.TargetArgs.Count) return;
        var to = spec.TargetArgs[i + 1];
        var colon = to.LastIndexOf(':');
        var host = colon > 0 && !to.EndsWith(']') && to.Count(ch => ch == ':') == 1 ? to[..colon] : to;
        int? port = colon > 0 && host != to && int.TryParse(to[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : Packet.DestinationPort;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
            Packet = Packet with { Destination = address, DestinationPort = port, DstLocal = false };
    }
}
