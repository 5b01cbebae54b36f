namespace NetPortal.Linux.Firewall.Nftables;

/// <summary>
/// One nftables address family NetPortal keeps a table in. ip and ip6 are separate tables (as Docker 29's
/// docker-bridges), so each has its own forward policy and IPv4-only networks never touch the ip6 table.
/// </summary>
/// <param name="Name">nft family keyword: ip or ip6.</param>
/// <param name="Match">Payload keyword in rules: ip or ip6 (ip saddr, ip6 daddr).</param>
/// <param name="AddressType">Set key type of an address: ipv4_addr or ipv6_addr.</param>
/// <param name="Loopback">Destination nat-OUTPUT leaves alone, as dockerd's OUTPUT jump does.</param>
internal sealed record NftFamily(string Name, string Match, string AddressType, string Loopback)
{
    public static readonly NftFamily Ip = new("ip", "ip", "ipv4_addr", "127.0.0.0/8");
    public static readonly NftFamily Ip6 = new("ip6", "ip6", "ipv6_addr", "::1");

    public bool IsV6 => Name == "ip6";
}
