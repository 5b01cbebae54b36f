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
/// per-namespace kernel worker that first waits for an RCU grace period. The next transaction that initialises such
/// an expression waits for that worker (nft_compat_wait_for_destructors) while holding the namespace's nf_tables
/// commit mutex, and so does every device rename meanwhile (nf_tables' NETDEV_CHANGENAME notifier takes that
/// mutex, under rtnl): one remove stalled the next create's firewall and every link change behind it for a grace
/// period (10-35 ms under load). So after such a delete the remove waits for a grace period itself, holding no
/// kernel lock (membarrier MEMBARRIER_CMD_GLOBAL is synchronize_rcu()); the worker's wait, begun at the commit,
/// ends no later. Where membarrier is missing, closing the socket (NETLINK_URELEASE flushes the worker) does the
/// same job, holding the mutex.
/// </remarks>
internal sealed class IptablesNetlink(Func<NftSocket> open) : IDisposable
{
    private readonly Dictionary<string, Dictionary<(string Table, string Chain), List<long>>> _handles = new(StringComparer.Ordinal);

    // Chains nf_tables has: iptables-save lists every built-in chain, but iptables-nft creates one only when a rule
    // first goes in, and a rule for a chain that is not there yet is left to iptables-restore, which creates it.
    private readonly Dictionary<string, HashSet<(string Table, string Chain)>> _chains = new(StringComparer.Ordinal);
    private NftSocket? _socket;
    private bool _noMembarrier;

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
        var byChain = new Dictionary<(string, string), List<long>>();
        foreach (var rule in dump)
        {
            if (!byChain.TryGetValue((rule.Table, rule.Chain), out var list)) byChain[(rule.Table, rule.Chain)] = list = [];
            list.Add((long)rule.Handle);
        }

        var tables = new HashSet<string>(StringComparer.Ordinal);
        var matched = new Dictionary<(string, string), List<long>>();
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

        // First everything that can refuse the batch, so that nothing below has to be rolled back.
        var bodies = new NftRuleBody?[batch.Ops.Count];
        for (var i = 0; i < batch.Ops.Count; i++)
        {
            var op = batch.Ops[i];
            if (op.Kind == IptablesOpKind.NewChain || !chains.Contains((op.Rule.Table, op.Rule.Chain))) return Outcome.NotApplicable;
            if (op.Kind == IptablesOpKind.Delete) continue;
            var table = op.Rule.Table;
            bodies[i] = IptablesNftEncoder.TryEncode(op.Rule.Spec, ipv6, name => batch.State.HasChain(table, name));
            if (bodies[i] is null) return Outcome.NotApplicable;
        }

        // The handle lists are updated in place as the requests are built (a copy of FORWARD per change grew with
        // the number of networks); rules new in this batch hold a negative placeholder (-id) until the kernel
        // echoes their handles. Anything unexpected from here on drops the lists: they are read again next time.
        var requests = new List<NftMessage>(batch.Ops.Count);
        var placeholders = new List<(List<long> List, long Placeholder)>();
        var releasesCompat = false;
        for (var i = 0; i < batch.Ops.Count; i++)
        {
            var op = batch.Ops[i];
            var rule = op.Rule;
            if (!known.TryGetValue((rule.Table, rule.Chain), out var list)) known[(rule.Table, rule.Chain)] = list = [];
            if (op.Index < 0 || op.Index > list.Count || (op.Kind == IptablesOpKind.Delete && (op.Index == list.Count || list[op.Index] < 0)))
            {
                Forget(family);
                return Outcome.NotApplicable;
            }

            if (op.Kind == IptablesOpKind.Delete)
            {
                requests.Add(NftRequests.DeleteRule(nfFamily, rule.Table, rule.Chain, (ulong)list[op.Index]) with { Description = $"-t {rule.Table} -D {rule.Chain} {rule.Spec}" });
                releasesCompat |= IptablesNftEncoder.UsesCompat(rule.Spec, ipv6);
                list.RemoveAt(op.Index);
                continue;
            }

            var body = bodies[i]!;
            var id = (uint)placeholders.Count + 1;
            NftMessage request;
            if (op.Kind == IptablesOpKind.Append)
            {
                request = NftRequests.NewRule(nfFamily, rule.Table, rule.Chain, body, append: true, ruleId: id);
            }
            else if (op.Index == 0)
            {
                request = NftRequests.NewRule(nfFamily, rule.Table, rule.Chain, body, append: false, ruleId: id);
            }
            else
            {
                var previous = list[op.Index - 1];
                request = previous > 0
                    ? NftRequests.NewRule(nfFamily, rule.Table, rule.Chain, body, append: true, afterHandle: (ulong)previous, ruleId: id)
                    : NftRequests.NewRule(nfFamily, rule.Table, rule.Chain, body, append: true, afterRuleId: (uint)-previous, ruleId: id);
            }

            requests.Add(request with { Description = $"-t {rule.Table} -I {rule.Chain} {op.Index + 1} {rule.Spec}" });
            list.Insert(op.Index, -id);
            placeholders.Add((list, -id));
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

        if (created.Count != placeholders.Count)
        {
            // Cannot happen unless echoes were lost; the rules are in, but their handles must be read again.
            Forget(family);
            return Outcome.Written;
        }

        for (var i = 0; i < placeholders.Count; i++)
        {
            var (list, placeholder) = placeholders[i];
            list[list.IndexOf(placeholder)] = (long)created[i];
        }

        if (releasesCompat)
        {
            WaitForRelease();
        }

        return Outcome.Written;
    }

    /// <summary>See remarks: the remove waits for the kernel to release the rules it deleted.</summary>
    private void WaitForRelease()
    {
        if (!_noMembarrier)
        {
            try
            {
                Interop.Native.WaitForRcuGracePeriod();
                return;
            }
            catch (Netlink.NetlinkException)
            {
                _noMembarrier = true;
            }
        }

        _socket?.Dispose();
        _socket = null;
    }

    public void Dispose() => _socket?.Dispose();
}
