using NetPortal.Linux.Netfilter;

namespace NetPortal.Linux.Firewall;

/// <summary>
/// Writes planned iptables changes straight into nf_tables, encoded as iptables-nft encodes them, instead of
/// running iptables-restore. iptables-restore (nft backend) reads every rule of the chains it touches before
/// each change, so its cost grew with the number of networks; by handle, a change costs the same with 1 or 1000.
/// The kernel's rule handles are kept beside the ruleset model: read once with a dump and lined up with the
/// model chain by chain (same counts, same order), then updated from the handles the kernel echoes for new rules.
/// Whatever cannot be written this way (new chains, shapes the encoder does not know) goes to iptables-restore,
/// after which the handles are read again on the next use.
/// </summary>
/// <remarks>
/// Deleting a rule with an nft_compat expression (conntrack, addrtype, MASQUERADE, DNAT) hands its release to a
/// kernel worker that first waits for an RCU grace period; the next transaction that initialises such an
/// expression waits for that worker (nf_tables_trans_destroy_flush_work), so a network create right after a remove
/// paid the remove's 8-15 ms. Releasing the netlink socket runs the same flush (NETLINK_URELEASE), so after such a
/// delete the socket is closed right away: the remove that deleted the rules waits for their release, as it did
/// with iptables-restore (whose exit did the same), and the next create does not. The next use opens a new socket.
/// </remarks>
internal sealed class IptablesNetlink(Func<NftSocket> open) : IDisposable
{
    private readonly Dictionary<string, Dictionary<(string Table, string Chain), List<ulong>>> _handles = new(StringComparer.Ordinal);

    // Chains nf_tables has: iptables-save lists every built-in chain, but iptables-nft creates one only when a rule
    // first goes in, and a rule for a chain that is not there yet is left to iptables-restore, which creates it.
    private readonly Dictionary<string, HashSet<(string Table, string Chain)>> _chains = new(StringComparer.Ordinal);
    private NftSocket? _socket;

    public enum Outcome
    {
        Written,
        NotApplicable,
    }

    private NftSocket Socket => _socket ??= open();

    /// <summary>
    /// Lines the kernel's handles up with <paramref name="state"/> (unless already known). False when they do not
    /// match: someone changed the rules since the model was read.
    /// </summary>
    public bool Prepare(string family, bool ipv6, IptablesRuleset state)
    {
        if (_handles.ContainsKey(family)) return true;
        var chains = Socket.DumpChains(ipv6 ? NfTables.NFPROTO_IPV6 : NfTables.NFPROTO_IPV4).ToHashSet();
        var dump = Socket.DumpRules(ipv6 ? NfTables.NFPROTO_IPV6 : NfTables.NFPROTO_IPV4);
        var byChain = new Dictionary<(string, string), List<ulong>>();
        foreach (var rule in dump)
        {
            if (!byChain.TryGetValue((rule.Table, rule.Chain), out var list)) byChain[(rule.Table, rule.Chain)] = list = [];
            list.Add(rule.Handle);
        }

        var tables = new HashSet<string>(StringComparer.Ordinal);
        var matched = new Dictionary<(string, string), List<ulong>>();
        foreach (var (table, chain, count) in state.ChainSizes())
        {
            tables.Add(table);
            var handles = byChain.GetValueOrDefault((table, chain)) ?? [];
            if (handles.Count != count) return false;
            matched[(table, chain)] = handles;
        }

        // A chain with rules that the model does not know in one of its tables: the model is stale too.
        if (byChain.Keys.Any(k => tables.Contains(k.Item1) && !matched.ContainsKey(k))) return false;
        _handles[family] = matched;
        _chains[family] = chains;
        return true;
    }

    public void Forget(string family)
    {
        _handles.Remove(family);
        _chains.Remove(family);
    }

    /// <summary>
    /// Writes the batch as one nf_tables transaction. <see cref="Outcome.NotApplicable"/> (nothing sent) when some
    /// change cannot be written by handle. A refused transaction throws; the kernel then kept nothing of it.
    /// </summary>
    public Outcome TryWrite(string family, bool ipv6, IptablesBatch batch)
    {
        if (!_handles.TryGetValue(family, out var known) || !_chains.TryGetValue(family, out var chains)) return Outcome.NotApplicable;
        var nfFamily = ipv6 ? NfTables.NFPROTO_IPV6 : NfTables.NFPROTO_IPV4;
        var work = new Dictionary<(string, string), List<long>>();
        List<long> Chain(string table, string chain)
        {
            if (!work.TryGetValue((table, chain), out var list))
            {
                list = known.TryGetValue((table, chain), out var h) ? h.Select(x => (long)x).ToList() : [];
                work[(table, chain)] = list;
            }

            return list;
        }

        // Rules new in this batch are negative placeholders (-id) until the kernel echoes their handles.
        var requests = new List<NftMessage>();
        var newRules = 0u;
        var releasesCompat = false;
        foreach (var op in batch.Ops)
        {
            var rule = op.Rule;
            if (op.Kind == IptablesOpKind.NewChain || !chains.Contains((rule.Table, rule.Chain))) return Outcome.NotApplicable;
            var list = Chain(rule.Table, rule.Chain);
            if (op.Index < 0 || op.Index > list.Count || (op.Kind == IptablesOpKind.Delete && op.Index == list.Count)) return Outcome.NotApplicable;
            if (op.Kind == IptablesOpKind.Delete)
            {
                if (list[op.Index] < 0) return Outcome.NotApplicable;
                requests.Add(NftRequests.DeleteRule(nfFamily, rule.Table, rule.Chain, (ulong)list[op.Index]) with { Description = $"-t {rule.Table} -D {rule.Chain} {rule.Spec}" });
                releasesCompat |= IptablesNftEncoder.UsesCompat(rule.Spec, ipv6);
                list.RemoveAt(op.Index);
                continue;
            }

            var body = IptablesNftEncoder.TryEncode(rule.Spec, ipv6, name => batch.State.HasChain(rule.Table, name));
            if (body is null) return Outcome.NotApplicable;
            var id = ++newRules;
            if (op.Kind == IptablesOpKind.Append)
            {
                requests.Add(NftRequests.NewRule(nfFamily, rule.Table, rule.Chain, body, append: true, ruleId: id));
            }
            else if (op.Index == 0)
            {
                requests.Add(NftRequests.NewRule(nfFamily, rule.Table, rule.Chain, body, append: false, ruleId: id));
            }
            else
            {
                var previous = list[op.Index - 1];
                requests.Add(previous > 0
                    ? NftRequests.NewRule(nfFamily, rule.Table, rule.Chain, body, append: true, afterHandle: (ulong)previous, ruleId: id)
                    : NftRequests.NewRule(nfFamily, rule.Table, rule.Chain, body, append: true, afterRuleId: (uint)-previous, ruleId: id));
            }

            requests[^1] = requests[^1] with { Description = $"-t {rule.Table} -I {rule.Chain} {op.Index + 1} {rule.Spec}" };
            list.Insert(op.Index, -id);
        }

        IReadOnlyList<ulong> created;
        try
        {
            created = Socket.Commit(requests);
        }
        catch
        {
            Forget(family);
            throw;
        }

        if (created.Count != newRules)
        {
            // Cannot happen unless echoes were lost; the rules are in, but their handles must be read again.
            Forget(family);
            return Outcome.Written;
        }

        foreach (var (key, list) in work)
        {
            known[key] = list.Select(x => x > 0 ? (ulong)x : created[(int)(-x) - 1]).ToList();
        }

        if (releasesCompat)
        {
            // See remarks: closing waits for the kernel to release the deleted rules.
            _socket?.Dispose();
            _socket = null;
        }

        return Outcome.Written;
    }

    public void Dispose() => _socket?.Dispose();
}
