namespace NetPortal.Linux.Firewall;

/// <summary>One step of a ruleset, in the order dockerd issues it; the order is what makes iptables-save match.</summary>
internal sealed record IptablesCommand(IptablesAction Action, IptablesRule Rule)
{
    public override string ToString() => Action switch
    {
        IptablesAction.Insert => $"-t {Rule.Table} -I {Rule.Chain} {Rule.Spec}",
        IptablesAction.Append => $"-t {Rule.Table} -A {Rule.Chain} {Rule.Spec}",
        _ => $"-t {Rule.Table} -D {Rule.Chain} {Rule.Spec}",
    };
}
