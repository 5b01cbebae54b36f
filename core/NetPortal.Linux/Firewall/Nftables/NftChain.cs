namespace NetPortal.Linux.Firewall.Nftables;

/// <summary>A chain of NetPortal's table; base chains have a type, hook and priority.</summary>
/// <param name="Name">Chain name.</param>
/// <param name="Rules">NetPortal's rules, in order (empty for the user chain).</param>
/// <param name="Type">filter or nat for a base chain, else null.</param>
/// <param name="Hook">Netfilter hook of a base chain.</param>
/// <param name="Priority">Priority as written (filter, dstnat, -100, srcnat).</param>
/// <param name="PriorityValue">The number nft -j reports for <paramref name="Priority"/>.</param>
/// <param name="UserOwned">The user hook chain: created once, never flushed or compared.</param>
internal sealed record NftChain(
    string Name,
    IReadOnlyList<NftRule> Rules,
    string? Type = null,
    string? Hook = null,
    string? Priority = null,
    int PriorityValue = 0,
    bool UserOwned = false)
{
    public bool IsBase => Hook is not null;
}
