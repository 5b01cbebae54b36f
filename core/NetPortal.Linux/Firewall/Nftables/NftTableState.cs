using System.Globalization;
using System.Net;
using System.Text.Json;

namespace NetPortal.Linux.Firewall.Nftables;

/// <summary>
/// What the kernel holds of NetPortal's table in one family, read from <c>nft -j list table</c>: chains with
/// their hooks and the comments of their rules, sets with their types and elements (spelled as
/// <see cref="NftElement"/> spells them).
/// </summary>
internal sealed class NftTableState
{
    public Dictionary<string, ChainState> Chains { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SetState> Sets { get; } = new(StringComparer.Ordinal);

    /// <summary>Rules in the whole table, the user chain's included.</summary>
    public int RuleCount => Chains.Values.Sum(c => c.Comments.Count);

    /// <summary>Parses the JSON of <c>nft -j list table</c>; elements are spelled after the set's own key types.</summary>
    public static NftTableState Parse(string json)
    {
        var state = new NftTableState();
        using var doc = JsonDocument.Parse(json);
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("chain", out var chain))
            {
                var name = chain.GetProperty("name").GetString()!;
                state.Chains[name] = new ChainState(
                    Str(chain, "type"), Str(chain, "hook"), chain.TryGetProperty("prio", out var p) ? p.GetInt32() : null,
                    Str(chain, "policy"), []);
            }
            else if (item.TryGetProperty("rule", out var rule))
            {
                var name = rule.GetProperty("chain").GetString()!;
                if (state.Chains.TryGetValue(name, out var c))
                {
                    c.Comments.Add(Str(rule, "comment") ?? "");
                }
            }
            else if (item.TryGetProperty("set", out var set) || item.TryGetProperty("map", out set))
            {
                state.Sets[set.GetProperty("name").GetString()!] = ParseSet(set);
            }
        }

        return state;
    }

    private static SetState ParseSet(JsonElement set)
    {
        var name = set.GetProperty("name").GetString()!;
        var keyType = Types(set.GetProperty("type"));
        var dataType = set.TryGetProperty("map", out var map) ? Types(map) : null;
        var interval = set.TryGetProperty("flags", out var flags)
            && (flags.ValueKind == JsonValueKind.Array ? flags.EnumerateArray().Any(f => f.GetString() == "interval") : flags.GetString() == "interval");
        var elements = new List<NftElement>();
        if (set.TryGetProperty("elem", out var elems))
        {
            foreach (var elem in elems.EnumerateArray())
            {
                if (dataType is not null && elem.ValueKind == JsonValueKind.Array)
                {
                    elements.Add(new NftElement(name, Spell(elem[0], keyType, interval), Spell(elem[1], dataType, false)));
                }
                else
                {
                    elements.Add(new NftElement(name, Spell(elem, keyType, interval)));
                }
            }
        }

        return new SetState(keyType, interval, dataType, elements);
    }

    // Set keys come as an array for concatenations; nft 1.0.6 prints a concatenated map data type as "a . b".
    private static List<string> Types(JsonElement type) =>
        type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
            : type.GetString()!.Split(" . ", StringSplitOptions.TrimEntries).ToList();

    private static string Spell(JsonElement value, IReadOnlyList<string> types, bool interval)
    {
        // {"elem": {"val": ..., "timeout": ...}} wraps elements that carry extra attributes.
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("elem", out var wrapped))
        {
            value = wrapped.GetProperty("val");
        }

        var parts = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("concat", out var concat)
            ? concat.EnumerateArray().ToList()
            : [value];
        return string.Join(" . ", parts.Select((p, i) => Part(p, i < types.Count ? types[i] : "", interval)));
    }

    private static string Part(JsonElement part, string type, bool interval)
    {
        if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("prefix", out var prefix))
        {
            return $"{Address(prefix.GetProperty("addr").GetString()!)}/{prefix.GetProperty("len").GetInt32()}";
        }

        if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("range", out var range))
        {
            return $"{Part(range[0], type, false)}-{Part(range[1], type, false)}";
        }

        return type switch
        {
            "ifname" => NetPortalNftLayout.Quote(part.GetString()!),

            // A /32 (/128) in an interval set comes back as a bare address; our elements always carry the prefix.
            "ipv4_addr" => Address(part.GetString()!) + (interval ? "/32" : ""),
            "ipv6_addr" => Address(part.GetString()!) + (interval ? "/128" : ""),
            "inet_proto" when part.ValueKind == JsonValueKind.Number => part.GetInt32() switch
            {
                6 => "tcp",
                17 => "udp",
                132 => "sctp",
                var n => n.ToString(CultureInfo.InvariantCulture),
            },
            _ => part.ValueKind == JsonValueKind.String ? part.GetString()! : part.GetRawText(),
        };
    }

    private static string Address(string text) => IPAddress.TryParse(text, out var a) ? a.ToString() : text;

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A chain as the kernel has it; <see cref="Comments"/> has one entry per rule ("" without comment).</summary>
    internal sealed record ChainState(string? Type, string? Hook, int? Priority, string? Policy, List<string> Comments);

    /// <summary>A set or map as the kernel has it.</summary>
    internal sealed record SetState(IReadOnlyList<string> KeyType, bool Interval, IReadOnlyList<string>? DataType, IReadOnlyList<NftElement> Elements);
}
