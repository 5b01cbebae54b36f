namespace NetPortal.Linux.Netfilter;

/// <summary>One nf_tables request of a batch: message type (NFT_MSG_*), extra netlink flags, family and its attributes.</summary>
internal sealed record NftMessage(ushort Type, ushort Flags, byte Family, byte[] Attributes)
{
    /// <summary>What the request does, for the error message when the kernel refuses it (e.g. the iptables rule).</summary>
    public string? Description { get; init; }
}
