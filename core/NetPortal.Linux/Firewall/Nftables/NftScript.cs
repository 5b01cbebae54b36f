namespace NetPortal.Linux.Firewall.Nftables;

/// <summary>
/// Renders <c>nft -f</c> input from the model: a pure function of the layout, the kernel's current state and the
/// element changes, so golden files pin every byte NetPortal sends to nft.
/// </summary>
internal static class NftScript
{
    /// <summary>
    /// Commands that make the table match <paramref name="table"/> (nothing when it already does). A missing
    /// table is created whole. On an existing one, add chain/set are no-ops for what exists; only chains whose
    /// rules differ are flushed and refilled, and a set of the wrong type is recreated. The user chain is added
    /// if missing and otherwise never touched; base chains are declared without a policy so that an existing
    /// policy (drop, see <see cref="ForwardPolicy"/>) stays.
    /// </summary>
    public static IReadOnlyList<string> Structure(NftTable table, NftTableState? current)
    {
        var q = table.Qualified;
        var wrongSets = Recreated(table, current);
        var refill = table.Chains.Where(c => !c.UserOwned && (current is null || wrongSets.Count > 0 || !SameRules(c, current))).ToList();
        var missingChains = table.Chains.Where(c => current is null || !current.Chains.ContainsKey(c.Name)).ToList();
        var missingSets = table.Sets.Where(s => current is null || !current.Sets.ContainsKey(s.Name)).ToList();
        if (current is not null && refill.Count == 0 && missingChains.Count == 0 && missingSets.Count == 0)
        {
            return [];
        }

        var lines = new List<string> { $"add table {q}" };
        foreach (var chain in table.Chains)
        {
            lines.Add(chain.IsBase
                ? $"add chain {q} {chain.Name} {{ type {chain.Type} hook {chain.Hook} priority {chain.Priority}; }}"
                : $"add chain {q} {chain.Name}");
        }

        // Rules go before the sets they reference can be dropped; flushing a chain that was just created is harmless but noisy.
        foreach (var chain in refill.Where(c => current is not null && current.Chains.ContainsKey(c.Name)))
        {
            lines.Add($"flush chain {q} {chain.Name}");
        }

        foreach (var set in wrongSets)
        {
            lines.Add($"delete {(current!.Sets[set.Name].DataType is null ? "set" : "map")} {q} {set.Name}");
        }

        foreach (var set in table.Sets)
        {
            lines.Add($"add {set.Render(q)}");
        }

        foreach (var chain in refill)
        {
            lines.AddRange(chain.Rules.Select(r => $"add rule {q} {chain.Name} {r.Render()}"));
        }

        return lines;
    }

    /// <summary>Sets that exist with another type; <see cref="Structure"/> deletes and recreates them (empty).</summary>
    public static IReadOnlyList<NftSet> Recreated(NftTable table, NftTableState? current) =>
        table.Sets.Where(s => current is not null && current.Sets.TryGetValue(s.Name, out var have) && !SameType(s, have)).ToList();

    /// <summary>The forward base chain with a drop policy (dockerd's iptables -P FORWARD DROP), creating the table if needed.</summary>
    public static IReadOnlyList<string> ForwardPolicy(NftTable table, string policy)
    {
        var forward = table.Chains.First(c => c.Name == NetPortalNftLayout.Forward);
        return
        [
            $"add table {table.Qualified}",
            $"add chain {table.Qualified} {forward.Name} {{ type {forward.Type} hook {forward.Hook} priority {forward.Priority}; policy {policy}; }}",
        ];
    }

    /// <summary><c>add element</c> commands, one per set, elements in the given order.</summary>
    public static IEnumerable<string> Add(NftTable table, IEnumerable<NftElement> elements) => Elements("add", table, elements);

    /// <summary><c>delete element</c> commands; every element must exist, or nft refuses the whole transaction.</summary>
    public static IEnumerable<string> Delete(NftTable table, IEnumerable<NftElement> elements) => Elements("delete", table, elements);

    /// <summary>
    /// Deletes elements that may or may not exist: add (a no-op when present) then delete, in one transaction.
    /// nft 1.0.8 has <c>destroy element</c> for this; the pair works with older nft too.
    /// </summary>
    public static IEnumerable<string> EnsureAbsent(NftTable table, IReadOnlyCollection<NftElement> elements) =>
        Add(table, elements).Concat(Delete(table, elements));

    private static IEnumerable<string> Elements(string verb, NftTable table, IEnumerable<NftElement> elements) =>
        elements.GroupBy(e => e.Set).Select(g => $"{verb} element {table.Qualified} {g.Key} {{ {string.Join(", ", g.Select(e => e.Render()))} }}");

    private static bool SameType(NftSet want, NftTableState.SetState have) =>
        want.KeyType.SequenceEqual(have.KeyType) && want.Interval == have.Interval
        && (want.DataType ?? []).SequenceEqual(have.DataType ?? []) && want.IsMap == have.DataType is not null;

    private static bool SameRules(NftChain want, NftTableState current) =>
        current.Chains.TryGetValue(want.Name, out var have) && have.Comments.SequenceEqual(want.Rules.Select(r => r.Comment));
}
