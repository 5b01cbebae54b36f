namespace NetPortal.Linux.Firewall;

/// <summary>One rule in iptables-save's canonical spelling, so it compares equal to what the kernel reports back.</summary>
internal sealed record IptablesRule(string Table, string Chain, string Spec)
{
    /// <summary>The line iptables-save prints for this rule inside its table section.</summary>
    public string SaveLine => $"-A {Chain} {Spec}";

    public override string ToString() => $"-t {Table} -A {Chain} {Spec}";
}
