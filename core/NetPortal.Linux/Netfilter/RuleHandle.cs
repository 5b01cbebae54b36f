namespace NetPortal.Linux.Netfilter;

/// <summary>A rule as a dump lists it: its table and chain, and the handle the kernel gave it.</summary>
internal readonly record struct RuleHandle(string Table, string Chain, ulong Handle)
{
    /// <summary>The kernel's encoding of the rule's expressions, when the dump asked for them (tests compare them).</summary>
    public byte[]? Expressions { get; init; }
}
