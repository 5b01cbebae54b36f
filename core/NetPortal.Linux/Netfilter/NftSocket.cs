using System.Buffers.Binary;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Netfilter;

/// <summary>
/// nf_tables over one NETLINK_NETFILTER socket, which belongs to the namespace it was opened in. A commit is
/// one nfnetlink batch (BEGIN, requests, END): the kernel applies it as one transaction or not at all, and
/// answers every request (each carries NLM_F_ACK) after the commit, with the new rules echoed before.
/// </summary>
internal sealed class NftSocket : IDisposable
{
    private const int ReceiveBufferBytes = 4 << 20;
    private const int ReceiveTimeoutMs = 10_000;
    private readonly NetlinkHandle _handle;
    private readonly Lock _lock = new();
    private readonly byte[] _receive = new byte[256 * 1024];
    private uint _sequence = (uint)Environment.TickCount;

    private NftSocket(NetlinkHandle handle) => _handle = handle;

    /// <summary>Opens the socket inside the namespace file (see NamespaceThread for how).</summary>
    public static NftSocket OpenIn(string netnsPath) =>
        Namespaces.NamespaceThread.Create(netnsPath, "nftables in " + netnsPath,
            () => new NftSocket(Native.OpenNetfilterSocket(ReceiveBufferBytes, ReceiveTimeoutMs)));

    public void Dispose() => _handle.Dispose();

    /// <summary>
    /// Sends the requests as one transaction. Returns the handles of the rules it created, in request order
    /// (NEWRULE carries NLM_F_ECHO). Throws <see cref="NetlinkException"/> with the first refused request's errno.
    /// </summary>
    public IReadOnlyList<ulong> Commit(IReadOnlyList<NftMessage> requests)
    {
        if (requests.Count == 0) return [];
        var size = 64 + requests.Sum(r => 32 + r.Attributes.Length);
        var buffer = new byte[size];
        lock (_lock)
        {
            var w = new NetlinkWriter(buffer);
            var begin = ++_sequence;
            BatchMarker(ref w, NfTables.NFNL_MSG_BATCH_BEGIN, begin);
            var first = _sequence + 1;
            foreach (var r in requests)
            {
                w.BeginMessage(NfTables.MessageType(r.Type), (ushort)(Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | r.Flags), ++_sequence);
                WriteGenHeader(ref w, r.Family, 0);
                AppendRaw(ref w, r.Attributes);
                w.EndMessage();
            }

            var last = _sequence;
            BatchMarker(ref w, NfTables.NFNL_MSG_BATCH_END, ++_sequence);
            Native.Send(_handle, w.Written);

            var handles = new List<ulong>();
            var answered = 0;
            var error = 0;
            var errorSeq = 0u;
            while (answered < requests.Count)
            {
                var n = Native.Receive(_handle, _receive);
                var reader = new NetlinkReader(_receive.AsSpan(0, n));
                while (reader.TryRead(out var m))
                {
                    if (m.Sequence < begin || m.Sequence > last) continue; // an answer to an earlier, abandoned batch
                    if (m.IsError)
                    {
                        if (m.Errno != 0 && error == 0)
                        {
                            error = m.Errno;
                            errorSeq = m.Sequence;
                        }

                        // The BEGIN marker is only ever answered when the whole batch was refused.
                        if (m.Sequence == begin) answered = requests.Count;
                        else answered++;
                    }
                    else if (m.Type == NfTables.MessageType(NfTables.NFT_MSG_NEWRULE))
                    {
                        handles.Add(ReadHandle(m.Payload));
                    }
                }
            }

            if (error != 0)
            {
                var index = (int)(errorSeq - first);
                var what = index >= 0 && index < requests.Count ? Describe(requests[index]) : "nf_tables batch";
                throw new NetlinkException(error, what);
            }

            return handles;
        }
    }

    /// <summary>Every rule of the family (all its tables), in each chain's order, with its handle.</summary>
    public IReadOnlyList<RuleHandle> DumpRules(byte family, bool withExpressions = false) =>
        Dump(NfTables.NFT_MSG_GETRULE, family, "rules", payload => ReadRule(payload, withExpressions));

    /// <summary>Every chain of the family: (table, chain). iptables-nft creates built-in chains only when first used.</summary>
    public IReadOnlyList<(string Table, string Chain)> DumpChains(byte family) =>
        Dump(NfTables.NFT_MSG_GETCHAIN, family, "chains", ReadChain);

    private delegate T PayloadParser<T>(ReadOnlySpan<byte> payload);

    private List<T> Dump<T>(ushort type, byte family, string what, PayloadParser<T> parse)
    {
        Span<byte> request = stackalloc byte[32];
        lock (_lock)
        {
            for (var attempt = 1; ; attempt++)
            {
                var seq = ++_sequence;
                var w = new NetlinkWriter(request);
                w.BeginMessage(NfTables.MessageType(type), (ushort)(Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP), seq);
                WriteGenHeader(ref w, family, 0);
                Native.Send(_handle, w.EndMessage());

                var items = new List<T>();
                var interrupted = false;
                var done = false;
                while (!done)
                {
                    var n = Native.Receive(_handle, _receive);
                    var reader = new NetlinkReader(_receive.AsSpan(0, n));
                    while (reader.TryRead(out var m))
                    {
                        if (m.Sequence != seq) continue;
                        if ((m.Flags & Nl.NLM_F_DUMP_INTR) != 0) interrupted = true;
                        if (m.IsError || m.IsDone)
                        {
                            if (m.Errno != 0) throw new NetlinkException(m.Errno, $"dump nf_tables {what}");
                            done = true;
                            break;
                        }

                        items.Add(parse(m.Payload));
                    }
                }

                // A dump that raced with a change is marked; it is repeated rather than trusted.
                if (!interrupted) return items;
                if (attempt == 3) throw new NetlinkException(4, $"dump nf_tables {what} (interrupted)");
            }
        }
    }

    private static (string Table, string Chain) ReadChain(ReadOnlySpan<byte> payload)
    {
        string table = "", chain = "";
        var attributes = new AttributeReader(payload[4..]);
        while (attributes.TryRead(out var type, out var value))
        {
            if (type == NfTables.NFTA_CHAIN_TABLE) table = AttributeReader.ReadString(value);
            else if (type == NfTables.NFTA_CHAIN_NAME) chain = AttributeReader.ReadString(value);
        }

        return (table, chain);
    }

    private static RuleHandle ReadRule(ReadOnlySpan<byte> payload, bool withExpressions)
    {
        string table = "", chain = "";
        ulong handle = 0;
        byte[]? expressions = null;
        var attributes = new AttributeReader(payload[4..]);
        while (attributes.TryRead(out var type, out var value))
        {
            switch (type)
            {
                case NfTables.NFTA_RULE_TABLE: table = AttributeReader.ReadString(value); break;
                case NfTables.NFTA_RULE_CHAIN: chain = AttributeReader.ReadString(value); break;
                case NfTables.NFTA_RULE_HANDLE: handle = BinaryPrimitives.ReadUInt64BigEndian(value); break;
                case NfTables.NFTA_RULE_EXPRESSIONS when withExpressions: expressions = value.ToArray(); break;
            }
        }

        return new RuleHandle(table, chain, handle) { Expressions = expressions };
    }

    private static ulong ReadHandle(ReadOnlySpan<byte> payload) => ReadRule(payload, withExpressions: false).Handle;

    private static string Describe(NftMessage request) => request.Description ?? request.Type switch
    {
        NfTables.NFT_MSG_NEWRULE => "add nf_tables rule",
        NfTables.NFT_MSG_DELRULE => "delete nf_tables rule",
        NfTables.NFT_MSG_NEWCHAIN => "add nf_tables chain",
        _ => $"nf_tables message {request.Type}",
    };

    private static void BatchMarker(ref NetlinkWriter w, ushort type, uint sequence)
    {
        // res_id carries the subsystem the batch is for (in network byte order).
        w.BeginMessage(type, Nl.NLM_F_REQUEST, sequence);
        WriteGenHeader(ref w, NfTables.NFPROTO_UNSPEC, NfTables.NFNL_SUBSYS_NFTABLES);
        w.EndMessage();
    }

    private static void WriteGenHeader(ref NetlinkWriter w, byte family, ushort resourceId)
    {
        // struct nfgenmsg { u8 nfgen_family; u8 version (NFNETLINK_V0); __be16 res_id; }
        Span<byte> header = [family, 0, (byte)(resourceId >> 8), (byte)resourceId];
        w.WriteRaw(header);
    }

    private static void AppendRaw(ref NetlinkWriter w, byte[] attributes) => w.WriteRaw(attributes);
}
