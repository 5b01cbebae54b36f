using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Netfilter;

/// <summary>
/// Encodes an iptables rule spec, as iptables-save prints it, into the nf_tables expressions iptables-nft 1.8
/// would send for it, so that iptables-save (and dockerd, and users) read our rules back exactly as theirs.
/// Native expressions where iptables-nft uses them (interfaces, addresses, protocol, tcp/udp ports, verdicts),
/// nft_compat x_tables blobs where it does (conntrack, addrtype, MASQUERADE, DNAT), and a counter on every
/// rule. Only the shapes dockerd's rules use are understood; anything else returns null and goes through
/// iptables-restore instead.
/// </summary>
internal static class IptablesNftEncoder
{
    private const int MaxExpressionBytes = 2048;

    /// <param name="spec">The rule without "-A CHAIN", e.g. "-o br-x -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT".</param>
    /// <param name="ipv6">ip6tables (header offsets and address sizes differ).</param>
    /// <param name="isChain">Whether a -j name is a chain of this table (a jump) rather than an extension target.</param>
    public static NftRuleBody? TryEncode(string spec, bool ipv6, Func<string, bool> isChain)
    {
        var rule = ParsedRule.TryParse(spec, ipv6, isChain);
        if (rule is null) return null;

        var buffer = new byte[MaxExpressionBytes];
        var w = new NetlinkWriter(buffer);
        // iptables-nft's order: interfaces, protocol, addresses, matches in spec order, counter, target.
        if (rule.In is { } iif) Interface(ref w, NfTables.NFT_META_IIFNAME, iif.Value, iif.Negated);
        if (rule.Out is { } oif) Interface(ref w, NfTables.NFT_META_OIFNAME, oif.Value, oif.Negated);
        if (rule.Protocol is { } proto)
        {
            Meta(ref w, NfTables.NFT_META_L4PROTO);
            Cmp(ref w, NfTables.NFT_CMP_EQ, [proto]);
        }

        if (rule.Source is { } src) Address(ref w, src.Value, src.Negated, ipv6 ? 8u : 12u);
        if (rule.Destination is { } dst) Address(ref w, dst.Value, dst.Negated, ipv6 ? 24u : 16u);
        foreach (var match in rule.Matches)
        {
            switch (match)
            {
                case PortMatch port:
                    Payload(ref w, NfTables.NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
                    var be = new byte[2];
                    BinaryPrimitives.WriteUInt16BigEndian(be, port.DestinationPort);
                    Cmp(ref w, NfTables.NFT_CMP_EQ, be);
                    break;
                case XtExtension xt:
                    Xt(ref w, "match", xt.Name, xt.Revision, xt.Info);
                    break;
            }
        }

        Counter(ref w);
        switch (rule.Target)
        {
            case VerdictTarget v:
                Verdict(ref w, v.Code, v.Chain);
                break;
            case XtExtension xt:
                Xt(ref w, "target", xt.Name, xt.Revision, xt.Info);
                break;
        }

        return new NftRuleBody(w.Written.ToArray(), rule.Protocol);
    }

    /// <summary>
    /// Whether the rule goes through nft_compat (an x_tables match or target). Deleting such a rule leaves kernel
    /// work pending (see IptablesNetlink) that the next rule with one waits for.
    /// </summary>
    public static bool UsesCompat(string spec, bool ipv6) =>
        ParsedRule.TryParse(spec, ipv6, _ => true) is { } rule && (rule.Target is XtExtension || rule.Matches.Any(m => m is XtExtension));

    private static void Interface(ref NetlinkWriter w, uint key, string name, bool negated)
    {
        // iptables-nft compares the name including its NUL, so "br-1" does not also match "br-10".
        Meta(ref w, key);
        var bytes = new byte[Encoding.ASCII.GetByteCount(name) + 1];
        Encoding.ASCII.GetBytes(name, bytes);
        Cmp(ref w, negated ? NfTables.NFT_CMP_NEQ : NfTables.NFT_CMP_EQ, bytes);
    }

    private static void Address(ref NetlinkWriter w, (IPAddress Address, int Prefix) cidr, bool negated, uint offset)
    {
        // iptables-nft (add_addr): a whole-byte prefix loads only the bytes it covers; any other prefix loads the
        // whole address and masks it first. The compared value is the masked address.
        var bytes = cidr.Address.GetAddressBytes();
        var mask = new byte[bytes.Length];
        for (var i = 0; i < mask.Length; i++) mask[i] = (byte)(0xFF << (8 - Math.Clamp(cidr.Prefix - (i * 8), 0, 8)));
        for (var i = 0; i < bytes.Length; i++) bytes[i] &= mask[i];
        var length = cidr.Prefix % 8 == 0 ? cidr.Prefix / 8 : bytes.Length;
        Payload(ref w, NfTables.NFT_PAYLOAD_NETWORK_HEADER, offset, (uint)length);
        if (cidr.Prefix % 8 != 0) Bitwise(ref w, mask);
        Cmp(ref w, negated ? NfTables.NFT_CMP_NEQ : NfTables.NFT_CMP_EQ, bytes.AsSpan(0, length));
    }

    private static void Meta(ref NetlinkWriter w, uint key)
    {
        var (elem, data) = BeginExpression(ref w, "meta");
        AddBe32(ref w, NfTables.NFTA_META_KEY, key);
        AddBe32(ref w, NfTables.NFTA_META_DREG, NfTables.NFT_REG_1);
        EndExpression(ref w, elem, data);
    }

    private static void Cmp(ref NetlinkWriter w, uint op, scoped ReadOnlySpan<byte> value)
    {
        var (elem, data) = BeginExpression(ref w, "cmp");
        AddBe32(ref w, NfTables.NFTA_CMP_SREG, NfTables.NFT_REG_1);
        AddBe32(ref w, NfTables.NFTA_CMP_OP, op);
        var nested = w.BeginNested(NfTables.NFTA_CMP_DATA | Interop.Nl.NLA_F_NESTED);
        w.AddAttribute(NfTables.NFTA_DATA_VALUE, value);
        w.EndNested(nested);
        EndExpression(ref w, elem, data);
    }

    private static void Payload(ref NetlinkWriter w, uint header, uint offset, uint length)
    {
        var (elem, data) = BeginExpression(ref w, "payload");
        AddBe32(ref w, NfTables.NFTA_PAYLOAD_DREG, NfTables.NFT_REG_1);
        AddBe32(ref w, NfTables.NFTA_PAYLOAD_BASE, header);
        AddBe32(ref w, NfTables.NFTA_PAYLOAD_OFFSET, offset);
        AddBe32(ref w, NfTables.NFTA_PAYLOAD_LEN, length);
        EndExpression(ref w, elem, data);
    }

    private static void Bitwise(ref NetlinkWriter w, byte[] mask)
    {
        var (elem, data) = BeginExpression(ref w, "bitwise");
        AddBe32(ref w, NfTables.NFTA_BITWISE_SREG, NfTables.NFT_REG_1);
        AddBe32(ref w, NfTables.NFTA_BITWISE_DREG, NfTables.NFT_REG_1);
        AddBe32(ref w, NfTables.NFTA_BITWISE_LEN, (uint)mask.Length);
        var m = w.BeginNested(NfTables.NFTA_BITWISE_MASK | Interop.Nl.NLA_F_NESTED);
        w.AddAttribute(NfTables.NFTA_DATA_VALUE, mask);
        w.EndNested(m);
        var x = w.BeginNested(NfTables.NFTA_BITWISE_XOR | Interop.Nl.NLA_F_NESTED);
        w.AddAttribute(NfTables.NFTA_DATA_VALUE, new byte[mask.Length]);
        w.EndNested(x);
        EndExpression(ref w, elem, data);
    }

    private static void Counter(ref NetlinkWriter w)
    {
        var (elem, data) = BeginExpression(ref w, "counter");
        w.AddAttribute(NfTables.NFTA_COUNTER_BYTES, stackalloc byte[8]);
        w.AddAttribute(NfTables.NFTA_COUNTER_PACKETS, stackalloc byte[8]);
        EndExpression(ref w, elem, data);
    }

    private static void Verdict(ref NetlinkWriter w, int code, string? chain)
    {
        var (elem, data) = BeginExpression(ref w, "immediate");
        AddBe32(ref w, NfTables.NFTA_IMMEDIATE_DREG, NfTables.NFT_REG_VERDICT);
        var immediate = w.BeginNested(NfTables.NFTA_IMMEDIATE_DATA | Interop.Nl.NLA_F_NESTED);
        var verdict = w.BeginNested(NfTables.NFTA_DATA_VERDICT | Interop.Nl.NLA_F_NESTED);
        AddBe32(ref w, NfTables.NFTA_VERDICT_CODE, unchecked((uint)code));
        if (chain is not null) w.AddString(NfTables.NFTA_VERDICT_CHAIN, chain);
        w.EndNested(verdict);
        w.EndNested(immediate);
        EndExpression(ref w, elem, data);
    }

    private static void Xt(ref NetlinkWriter w, string kind, string name, uint revision, byte[] info)
    {
        var (elem, data) = BeginExpression(ref w, kind);
        w.AddString(NfTables.NFTA_XT_NAME, name);
        AddBe32(ref w, NfTables.NFTA_XT_REV, revision);
        w.AddAttribute(NfTables.NFTA_XT_INFO, info);
        EndExpression(ref w, elem, data);
    }

    private static (int Elem, int Data) BeginExpression(ref NetlinkWriter w, string name)
    {
        var elem = w.BeginNested(NfTables.NFTA_LIST_ELEM | Interop.Nl.NLA_F_NESTED);
        w.AddString(NfTables.NFTA_EXPR_NAME, name);
        return (elem, w.BeginNested(NfTables.NFTA_EXPR_DATA | Interop.Nl.NLA_F_NESTED));
    }

    private static void EndExpression(ref NetlinkWriter w, int elem, int data)
    {
        w.EndNested(data);
        w.EndNested(elem);
    }

    internal static void AddBe32(ref NetlinkWriter w, ushort type, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        w.AddAttribute(type, b);
    }

    internal static void AddBe64(ref NetlinkWriter w, ushort type, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, value);
        w.AddAttribute(type, b);
    }

    private sealed record Negatable<T>(T Value, bool Negated);

    private abstract record Extension;

    private sealed record PortMatch(ushort DestinationPort) : Extension;

    private sealed record XtExtension(string Name, uint Revision, byte[] Info) : Extension;

    private sealed record VerdictTarget(int Code, string? Chain) : Extension;

    /// <summary>The parts of a spec in iptables-save's canonical spelling; anything unexpected makes it unparseable.</summary>
    private sealed class ParsedRule
    {
        public Negatable<(IPAddress, int)>? Source { get; private set; }
        public Negatable<(IPAddress, int)>? Destination { get; private set; }
        public Negatable<string>? In { get; private set; }
        public Negatable<string>? Out { get; private set; }
        public byte? Protocol { get; private set; }
        public List<Extension> Matches { get; } = [];
        public Extension? Target { get; private set; }

        public static ParsedRule? TryParse(string spec, bool ipv6, Func<string, bool> isChain)
        {
            var t = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var r = new ParsedRule();
            string? protoName = null;
            for (var i = 0; i < t.Length; i++)
            {
                var negated = t[i] == "!";
                if (negated && ++i >= t.Length) return null;
                string? Next() => i + 1 < t.Length ? t[++i] : null;
                switch (t[i])
                {
                    case "-s" when r.Source is null && TryCidr(Next(), ipv6, out var s):
                        r.Source = new(s, negated);
                        break;
                    case "-d" when r.Destination is null && TryCidr(Next(), ipv6, out var d):
                        r.Destination = new(d, negated);
                        break;
                    case "-i" when r.In is null && Next() is { } iif && IsPlainInterface(iif):
                        r.In = new(iif, negated);
                        break;
                    case "-o" when r.Out is null && Next() is { } oif && IsPlainInterface(oif):
                        r.Out = new(oif, negated);
                        break;
                    case "-p" when !negated && r.Protocol is null && Next() is "tcp" or "udp":
                        protoName = t[i];
                        r.Protocol = protoName == "tcp" ? (byte)ProtocolType.Tcp : (byte)ProtocolType.Udp;
                        break;
                    case "-m" when !negated && r.Target is null:
                        var ext = ParseMatch(t, ref i, protoName);
                        if (ext is null) return null;
                        r.Matches.Add(ext);
                        break;
                    case "-j" when !negated && r.Target is null && Next() is { } target:
                        r.Target = ParseTarget(target, t, ref i, ipv6, isChain);
                        if (r.Target is null) return null;
                        break;
                    default:
                        return null;
                }
            }

            return r.Target is null ? null : r;
        }

        private static Extension? ParseMatch(string[] t, ref int i, string? protoName)
        {
            var rest = t.Length - i - 1;
            if (rest >= 3 && t[i + 1] == protoName && t[i + 2] == "--dport"
                && ushort.TryParse(t[i + 3], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port > 0)
            {
                i += 3;
                return new PortMatch(port);
            }

            if (rest >= 3 && t[i + 1] == "conntrack" && t[i + 2] == "--ctstate" && t[i + 3] == "RELATED,ESTABLISHED")
            {
                i += 3;
                return new XtExtension("conntrack", 3, XtInfo.ConntrackRelatedEstablished());
            }

            if (rest >= 3 && t[i + 1] == "addrtype" && t[i + 2] is "--dst-type" or "--src-type" && t[i + 3] == "LOCAL")
            {
                var source = t[i + 2] == "--src-type";
                i += 3;
                return new XtExtension("addrtype", 1, XtInfo.AddrtypeLocal(source));
            }

            return null;
        }

        private static Extension? ParseTarget(string target, string[] t, ref int i, bool ipv6, Func<string, bool> isChain)
        {
            var last = i == t.Length - 1;
            switch (target)
            {
                case "ACCEPT" when last: return new VerdictTarget(NfTables.NF_ACCEPT, null);
                case "DROP" when last: return new VerdictTarget(NfTables.NF_DROP, null);
                case "RETURN" when last: return new VerdictTarget(NfTables.NFT_RETURN, null);
                case "MASQUERADE" when last: return new XtExtension("MASQUERADE", 0, XtInfo.Masquerade(ipv6));
                case "DNAT" when i + 2 == t.Length - 1 && t[i + 1] == "--to-destination" && TryDestination(t[i + 2], ipv6, out var a, out var p):
                    i += 2;
                    return new XtExtension("DNAT", 2, XtInfo.Dnat(a, p));
                default:
                    return last && isChain(target) ? new VerdictTarget(NfTables.NFT_JUMP, target) : null;
            }
        }

        private static bool IsPlainInterface(string name) =>
            name.Length is > 0 and < 16 && name.All(c => c > ' ' && c < 127 && c != '+');

        private static bool TryCidr(string? text, bool ipv6, out (IPAddress, int) cidr)
        {
            cidr = default;
            var slash = text?.IndexOf('/') ?? -1;
            if (text is null || slash < 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
                || address.AddressFamily != (ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork)
                || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
                || prefix < 1 || prefix > (ipv6 ? 128 : 32))
            {
                return false;
            }

            cidr = (address, prefix);
            return true;
        }

        private static bool TryDestination(string text, bool ipv6, out IPAddress address, out ushort? port)
        {
            // 172.18.0.2:80, [fd00::2]:80, or an address alone.
            address = IPAddress.None;
            port = null;
            string host = text, portText = "";
            if (ipv6 && text.StartsWith('['))
            {
                var close = text.IndexOf("]:", StringComparison.Ordinal);
                if (close < 0) return false;
                host = text[1..close];
                portText = text[(close + 2)..];
            }
            else if (!ipv6 && text.IndexOf(':') is var colon and > 0)
            {
                host = text[..colon];
                portText = text[(colon + 1)..];
            }

            if (!IPAddress.TryParse(host, out var parsed) || parsed.AddressFamily != (ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork))
                return false;
            address = parsed;
            if (portText.Length == 0) return true;
            if (!ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p == 0) return false;
            port = p;
            return true;
        }
    }
}
