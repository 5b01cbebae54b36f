using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Netfilter;

/// <summary>Builds the nf_tables rule requests of a batch.</summary>
internal static class NftRequests
{
    /// <summary>
    /// NEWRULE. Without a position the rule goes to the head of the chain, or to its end with <paramref name="append"/>;
    /// with a position (a handle, or the id of a rule earlier in the same batch) it goes right after that rule
    /// with <paramref name="append"/>, right before it without. <paramref name="ruleId"/> lets later requests
    /// of the batch refer to this rule.
    /// </summary>
    public static NftMessage NewRule(byte family, string table, string chain, NftRuleBody body, bool append,
        ulong? afterHandle = null, uint? afterRuleId = null, uint? ruleId = null)
    {
        var buffer = new byte[256 + body.Expressions.Length];
        var w = new NetlinkWriter(buffer);
        w.AddString(NfTables.NFTA_RULE_TABLE, table);
        w.AddString(NfTables.NFTA_RULE_CHAIN, chain);
        if (afterHandle is { } h) IptablesNftEncoder.AddBe64(ref w, NfTables.NFTA_RULE_POSITION, h);
        if (afterRuleId is { } pid) IptablesNftEncoder.AddBe32(ref w, NfTables.NFTA_RULE_POSITION_ID, pid);
        if (ruleId is { } id) IptablesNftEncoder.AddBe32(ref w, NfTables.NFTA_RULE_ID, id);
        var expressions = w.BeginNested(NfTables.NFTA_RULE_EXPRESSIONS | Interop.Nl.NLA_F_NESTED);
        w.WriteRaw(body.Expressions);
        w.EndNested(expressions);
        if (body.CompatProtocol is { } proto)
        {
            var compat = w.BeginNested(NfTables.NFTA_RULE_COMPAT | Interop.Nl.NLA_F_NESTED);
            IptablesNftEncoder.AddBe32(ref w, NfTables.NFTA_RULE_COMPAT_PROTO, proto);
            IptablesNftEncoder.AddBe32(ref w, NfTables.NFTA_RULE_COMPAT_FLAGS, 0);
            w.EndNested(compat);
        }

        var flags = (ushort)(Interop.Nl.NLM_F_CREATE | NfTables.NLM_F_ECHO | (append ? NfTables.NLM_F_APPEND : 0));
        return new NftMessage(NfTables.NFT_MSG_NEWRULE, flags, family, w.Written.ToArray());
    }

    public static NftMessage DeleteRule(byte family, string table, string chain, ulong handle)
    {
        var buffer = new byte[128];
        var w = new NetlinkWriter(buffer);
        w.AddString(NfTables.NFTA_RULE_TABLE, table);
        w.AddString(NfTables.NFTA_RULE_CHAIN, chain);
        IptablesNftEncoder.AddBe64(ref w, NfTables.NFTA_RULE_HANDLE, handle);
        return new NftMessage(NfTables.NFT_MSG_DELRULE, 0, family, w.Written.ToArray());
    }
}
