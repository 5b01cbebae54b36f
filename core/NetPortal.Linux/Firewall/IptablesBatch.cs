using System.Text;

namespace NetPortal.Linux.Firewall;

/// <summary>
/// Collects the commands of one change for one address family, checking each against (and applying it to)
/// the ruleset read from the kernel, and renders them as a single iptables-restore --noflush input.
/// </summary>
internal sealed class IptablesBatch(IptablesRuleset state, string family)
{
    private readonly List<string> _tableOrder = [];
    private readonly Dictionary<string, List<string>> _newChains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _lines = new(StringComparer.Ordinal);
    private readonly List<string> _changes = [];
    private readonly List<IptablesOp> _ops = [];

    public IptablesRuleset State { get; } = state;

    /// <summary>One line per command, e.g. "iptables -t nat -I POSTROUTING ...", for logs and Reconcile.</summary>
    public IReadOnlyList<string> Changes => _changes;

    public bool IsEmpty => _changes.Count == 0;

    /// <summary>The same commands with the model positions they took (for writing them over netlink by handle).</summary>
    public IReadOnlyList<IptablesOp> Ops => _ops;

    /// <summary>Creates the chain if missing; returns true when it did.</summary>
    public bool EnsureChain(string table, string chain)
    {
        if (State.HasChain(table, chain))
        {
            return false;
        }

        State.AddChain(table, chain);
        // Declaring a chain that already exists would flush it even with --noflush, so only new ones are declared.
        Section(table, _newChains).Add($":{chain} - [0:0]");
        _changes.Add($"{family} -t {table} -N {chain}");
        _ops.Add(new IptablesOp(IptablesOpKind.NewChain, new IptablesRule(table, chain, ""), 0));
        return true;
    }

    /// <summary>Applies a command the way dockerd does: -I/-A only when the rule is missing, -D every copy present.</summary>
    public void Apply(IptablesCommand command)
    {
        switch (command.Action)
        {
            case IptablesAction.Insert when !State.Contains(command.Rule):
                Insert(command.Rule);
                break;
            case IptablesAction.Append when !State.Contains(command.Rule):
                AppendCopy(command.Rule);
                break;
            case IptablesAction.Delete:
                DeleteAll(command.Rule);
                break;
        }
    }

    public void Insert(IptablesRule rule)
    {
        var position = ForwardPosition(rule);
        if (position > 1)
        {
            // Below the DOCKER-USER and isolation jumps that already head FORWARD: the same final order as dockerd's
            // "insert at the top, then move both jumps back to the top", without deleting and re-adding the jumps
            // (each nf_tables rule deletion waits for an RCU grace period, which dominated network create and remove).
            State.InsertAt(rule, position - 1);
            _ops.Add(new IptablesOp(IptablesOpKind.Insert, rule, position - 1));
            Section(rule.Table, _lines).Add($"-I {rule.Chain} {position} {rule.Spec}");
            _changes.Add($"{family} -t {rule.Table} -I {rule.Chain} {position} {rule.Spec}");
            return;
        }
        State.Insert(rule);
        _ops.Add(new IptablesOp(IptablesOpKind.Insert, rule, 0));
        Emit(new IptablesCommand(IptablesAction.Insert, rule));
    }

    private int ForwardPosition(IptablesRule rule)
    {
        if (rule.Table != DockerIptablesRules.Filter || rule.Chain != "FORWARD") return 1;
        if (rule.Spec == DockerIptablesRules.UserJump.Spec || rule.Spec == DockerIptablesRules.IsolationJump.Spec) return 1;
        var forward = State.Rules(DockerIptablesRules.Filter, "FORWARD");
        return forward.Count >= 2 && forward[0] == DockerIptablesRules.UserJump.Spec && forward[1] == DockerIptablesRules.IsolationJump.Spec ? 3 : 1;
    }

    /// <summary>Deletes every copy of the rule that exists; a rule already gone is not an error.</summary>
    public void DeleteAll(IptablesRule rule)
    {
        while (DeleteOne(rule))
        {
        }
    }

    /// <summary>Appends one more copy even when the rule is present (dockerd's port rules are plain -A, one per mapping).</summary>
    public void AppendCopy(IptablesRule rule)
    {
        _ops.Add(new IptablesOp(IptablesOpKind.Append, rule, State.Rules(rule.Table, rule.Chain).Count));
        State.Append(rule);
        Emit(new IptablesCommand(IptablesAction.Append, rule));
    }

    /// <summary>Deletes one copy (iptables -D removes the first match); false when none is left.</summary>
    public bool DeleteOne(IptablesRule rule)
    {
        var index = State.DeleteFirst(rule);
        if (index < 0)
        {
            return false;
        }

        _ops.Add(new IptablesOp(IptablesOpKind.Delete, rule, index));
        Emit(new IptablesCommand(IptablesAction.Delete, rule));
        return true;
    }

    /// <summary>Moves a jump rule to position 1 (dockerd's EnsureJumpRule), leaving other rules untouched.</summary>
    public void MoveToTop(IptablesRule rule)
    {
        DeleteAll(rule);
        Insert(rule);
    }

    /// <summary>The iptables-restore --noflush input: per table, new chains first, then the commands in order.</summary>
    public string RenderRestoreInput()
    {
        var sb = new StringBuilder();
        foreach (var table in _tableOrder)
        {
            sb.Append('*').Append(table).Append('\n');
            foreach (var line in _newChains.GetValueOrDefault(table) ?? [])
            {
                sb.Append(line).Append('\n');
            }

            foreach (var line in _lines.GetValueOrDefault(table) ?? [])
            {
                sb.Append(line).Append('\n');
            }

            sb.Append("COMMIT\n");
        }

        return sb.ToString();
    }

    private void Emit(IptablesCommand command)
    {
        var rule = command.Rule;
        var verb = command.Action switch
        {
            IptablesAction.Insert => "-I",
            IptablesAction.Append => "-A",
            _ => "-D",
        };
        Section(rule.Table, _lines).Add($"{verb} {rule.Chain} {rule.Spec}");
        _changes.Add($"{family} {command}");
    }

    private List<string> Section(string table, Dictionary<string, List<string>> map)
    {
        if (!_tableOrder.Contains(table))
        {
            _tableOrder.Add(table);
        }

        if (!map.TryGetValue(table, out var list))
        {
            list = [];
            map.Add(table, list);
        }

        return list;
    }
}
