using System.Buffers.Binary;
using System.Net;

namespace NetPortal.Linux.Netfilter;

/// <summary>
/// The x_tables structures iptables-nft hands to nft_compat for the matches and targets it does not translate to
/// native expressions. nft_compat requires the info length to be XT_ALIGN(size) (8-byte alignment on LP64).
/// </summary>
internal static class XtInfo
{
    /// <summary>XT_ALIGN: x_tables pads every match/target payload to the alignment of u64.</summary>
    public static int Align(int size) => (size + 7) & ~7;

    /// <summary>
    /// xt_conntrack_mtinfo3 for "--ctstate RELATED,ESTABLISHED": eight nf_inet_addr (128 bytes), expires_min/max,
    /// then u16 l4proto, four ports, match_flags (XT_CONNTRACK_STATE = 1), invert_flags, state_mask, status_mask,
    /// four port-highs: 164 bytes. State bits are 1 &lt;&lt; (ctinfo + 1): ESTABLISHED 2, RELATED 4.
    /// </summary>
    public static byte[] ConntrackRelatedEstablished()
    {
        var info = new byte[Align(164)];
        BinaryPrimitives.WriteUInt16LittleEndian(info.AsSpan(146), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(info.AsSpan(150), 2 | 4);
        return info;
    }

    /// <summary>xt_addrtype_info_v1 {u16 source; u16 dest; u32 flags}; LOCAL is 1 &lt;&lt; RTN_LOCAL.</summary>
    public static byte[] AddrtypeLocal(bool source)
    {
        var info = new byte[Align(8)];
        BinaryPrimitives.WriteUInt16LittleEndian(info.AsSpan(source ? 0 : 2), 1 << 2);
        return info;
    }

    /// <summary>
    /// MASQUERADE revision 0: IPv4 takes nf_nat_ipv4_multi_range_compat (rangesize 1, one empty range; 20 bytes),
    /// IPv6 an empty nf_nat_range (40 bytes).
    /// </summary>
    public static byte[] Masquerade(bool ipv6)
    {
        if (ipv6) return new byte[Align(40)];
        var info = new byte[Align(20)];
        BinaryPrimitives.WriteUInt32LittleEndian(info, 1);
        return info;
    }

    /// <summary>
    /// DNAT revision 2: nf_nat_range2 {u32 flags; nf_inet_addr min, max; u16 min_proto, max_proto, base_proto}
    /// (44 bytes). Flags: NF_NAT_RANGE_MAP_IPS (1), plus PROTO_SPECIFIED (2) with a port; ports in network order.
    /// </summary>
    public static byte[] Dnat(IPAddress address, ushort? port)
    {
        var info = new byte[Align(44)];
        BinaryPrimitives.WriteUInt32LittleEndian(info, port is null ? 1u : 3u);
        var bytes = address.GetAddressBytes();
        bytes.CopyTo(info.AsSpan(4));
        bytes.CopyTo(info.AsSpan(20));
        if (port is { } p)
        {
            BinaryPrimitives.WriteUInt16BigEndian(info.AsSpan(36), p);
            BinaryPrimitives.WriteUInt16BigEndian(info.AsSpan(38), p);
        }

        return info;
    }
}
