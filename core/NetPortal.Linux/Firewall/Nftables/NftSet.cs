namespace NetPortal.Linux.Firewall.Nftables;

/// <summary>A named set (or map, when <paramref name="DataType"/> is set) of NetPortal's table.</summary>
/// <param name="Name">Set name, referenced as @name from rules.</param>
/// <param name="KeyType">Key type, one entry per concatenated field (ifname, ipv4_addr, inet_proto, ...).</param>
/// <param name="Interval">flags interval: keys hold prefixes (subnets).</param>
/// <param name="DataType">Map data type, one entry per concatenated field; null for a plain set.</param>
/// <param name="PerNetwork">
/// Elements derive from the networks alone, so Reconcile makes them equal to the given networks; published-port
/// sets are filled by the port side and left alone by network reconciliation.
/// </param>
internal sealed record NftSet(string Name, IReadOnlyList<string> KeyType, bool Interval = false, IReadOnlyList<string>? DataType = null, bool PerNetwork = true)
{
    public bool IsMap => DataType is not null;

    /// <summary>The declaration after <c>add</c>: <c>set ip netportal bridges { type ifname; }</c>.</summary>
    public string Render(string table)
    {
        var type = string.Join(" . ", KeyType) + (DataType is null ? "" : " : " + string.Join(" . ", DataType));
        return $"{(IsMap ? "map" : "set")} {table} {Name} {{ type {type};{(Interval ? " flags interval;" : "")} }}";
    }
}
