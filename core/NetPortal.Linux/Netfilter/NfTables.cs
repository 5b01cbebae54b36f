namespace NetPortal.Linux.Netfilter;

/// <summary>nfnetlink / nf_tables numbers (linux/netfilter/nfnetlink.h, nf_tables.h, nf_tables_compat.h).</summary>
internal static class NfTables
{
    public const byte NFPROTO_UNSPEC = 0, NFPROTO_IPV4 = 2, NFPROTO_IPV6 = 10;
    public const ushort NFNL_SUBSYS_NFTABLES = 10;
    public const ushort NFNL_MSG_BATCH_BEGIN = 0x10, NFNL_MSG_BATCH_END = 0x11;

    public const ushort NFT_MSG_NEWCHAIN = 3, NFT_MSG_GETCHAIN = 4, NFT_MSG_NEWRULE = 6, NFT_MSG_GETRULE = 7, NFT_MSG_DELRULE = 8;

    public const ushort NLM_F_ECHO = 0x8, NLM_F_APPEND = 0x800;

    public const ushort NFTA_RULE_TABLE = 1, NFTA_RULE_CHAIN = 2, NFTA_RULE_HANDLE = 3, NFTA_RULE_EXPRESSIONS = 4,
        NFTA_RULE_COMPAT = 5, NFTA_RULE_POSITION = 6, NFTA_RULE_ID = 9, NFTA_RULE_POSITION_ID = 10;
    public const ushort NFTA_CHAIN_TABLE = 1, NFTA_CHAIN_NAME = 3;
    public const ushort NFTA_RULE_COMPAT_PROTO = 1, NFTA_RULE_COMPAT_FLAGS = 2;

    public const ushort NFTA_LIST_ELEM = 1, NFTA_EXPR_NAME = 1, NFTA_EXPR_DATA = 2;
    public const ushort NFTA_DATA_VALUE = 1, NFTA_DATA_VERDICT = 2;
    public const ushort NFTA_VERDICT_CODE = 1, NFTA_VERDICT_CHAIN = 2;

    public const ushort NFTA_META_DREG = 1, NFTA_META_KEY = 2;
    public const uint NFT_META_IIFNAME = 6, NFT_META_OIFNAME = 7, NFT_META_L4PROTO = 16;
    public const ushort NFTA_CMP_SREG = 1, NFTA_CMP_OP = 2, NFTA_CMP_DATA = 3;
    public const uint NFT_CMP_EQ = 0, NFT_CMP_NEQ = 1;
    public const ushort NFTA_PAYLOAD_DREG = 1, NFTA_PAYLOAD_BASE = 2, NFTA_PAYLOAD_OFFSET = 3, NFTA_PAYLOAD_LEN = 4;
    public const uint NFT_PAYLOAD_NETWORK_HEADER = 1, NFT_PAYLOAD_TRANSPORT_HEADER = 2;
    public const ushort NFTA_BITWISE_SREG = 1, NFTA_BITWISE_DREG = 2, NFTA_BITWISE_LEN = 3, NFTA_BITWISE_MASK = 4, NFTA_BITWISE_XOR = 5;
    public const ushort NFTA_COUNTER_BYTES = 1, NFTA_COUNTER_PACKETS = 2;
    public const ushort NFTA_IMMEDIATE_DREG = 1, NFTA_IMMEDIATE_DATA = 2;
    public const ushort NFTA_XT_NAME = 1, NFTA_XT_REV = 2, NFTA_XT_INFO = 3; // same numbers for NFTA_MATCH_* and NFTA_TARGET_*

    public const uint NFT_REG_VERDICT = 0, NFT_REG_1 = 1;
    public const int NF_DROP = 0, NF_ACCEPT = 1, NFT_JUMP = -3, NFT_RETURN = -5;

    public static ushort MessageType(ushort nftMessage) => (ushort)((NFNL_SUBSYS_NFTABLES << 8) | nftMessage);
}
