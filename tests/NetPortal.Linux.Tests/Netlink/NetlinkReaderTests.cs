using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Tests.Netlink;

public sealed class NetlinkReaderTests
{
    private static readonly byte[] NewLinkBr0 =
    [
        68, 0, 0, 0, 16, 0, 2, 0, 9, 0, 0, 0, 0, 0, 0, 0,              // RTM_NEWLINK, NLM_F_MULTI, seq 9
        0, 0, 1, 0, 5, 0, 0, 0, 0x43, 0x10, 1, 0, 0, 0, 0, 0,           // ifinfomsg: index 5, flags UP|...
        8, 0, 3, 0, (byte)'b', (byte)'r', (byte)'0', 0,                 // IFLA_IFNAME
        8, 0, 4, 0, 0xDC, 0x05, 0, 0,                                   // IFLA_MTU 1500
        20, 0, 18, 0x80,                                                   // IFLA_LINKINFO (NLA_F_NESTED is masked off)
        11, 0, 1, 0, (byte)'b', (byte)'r', (byte)'i', (byte)'d', (byte)'g', (byte)'e', 0, 0,
        4, 0, 2, 0,                                                     // empty IFLA_INFO_DATA
    ];

    private static byte[] Error(uint seq, int errno) =>
    [
        36, 0, 0, 0, 2, 0, 0, 0, .. BitConverter.GetBytes(seq), 0, 0, 0, 0,
        .. BitConverter.GetBytes(-errno),
        16, 0, 0, 0, 16, 0, 5, 6, .. BitConverter.GetBytes(seq), 0, 0, 0, 0,
    ];

    [Fact]
    public void ParsesLink_WithNestedKind()
    {
        var r = new NetlinkReader(NewLinkBr0);
        Assert.True(r.TryRead(out var m));
        Assert.Equal(Nl.RTM_NEWLINK, m.Type);
        Assert.Equal(9u, m.Sequence);
        var link = RouteNetlink.ParseLink(m);
        Assert.Equal(new LinkInfo("br0", 5, "bridge", 1500, true, "", 0), link);
        Assert.False(r.TryRead(out _));
    }

    [Fact]
    public void DecodesErrorAndAck()
    {
        var buf = Error(3, Errno.EEXIST).Concat(Error(4, 0)).ToArray();
        var r = new NetlinkReader(buf);
        Assert.True(r.TryRead(out var m));
        Assert.True(m.IsError);
        Assert.Equal(Errno.EEXIST, m.Errno);
        Assert.True(r.TryRead(out m));
        Assert.Equal(4u, m.Sequence);
        Assert.Equal(0, m.Errno);
    }

    [Fact]
    public void BadLength_Throws()
    {
        var bad = (byte[])NewLinkBr0.Clone();
        bad[0] = 200;
        Assert.Throws<InvalidDataException>(() => { var r = new NetlinkReader(bad); r.TryRead(out _); });
    }

    [Fact]
    public void ScriptedDump_AcrossDatagrams_StopsAtDone_AndSkipsStaleSequences()
    {
        var t = new ScriptedTransport();
        using var nl = new RouteNetlink(t);
        // The first request gets sequence N; we learn it from the sent bytes and answer accordingly.
        t.Reply = seq => [
            Patch(Error(seq - 1, 0), seq - 1),                  // stale ACK of an earlier request: ignored
            Patch(NewLinkBr0, seq),
            [.. Patch(NewLinkBr0, seq, index: 6), .. Done(seq)],
        ];
        var links = nl.DumpLinks();
        Assert.Equal([5, 6], links.Select(l => l.Index));
        Assert.Equal(Nl.RTM_GETLINK, BitConverter.ToUInt16(t.Sent[0], 4));
        Assert.Equal(Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, BitConverter.ToUInt16(t.Sent[0], 6));
    }

    [Fact]
    public void ScriptedError_BecomesNetlinkException()
    {
        var t = new ScriptedTransport { Reply = seq => [Error(seq, Errno.EEXIST)] };
        using var nl = new RouteNetlink(t);
        var e = Assert.Throws<NetlinkException>(() => nl.CreateBridge("br0", 0));
        Assert.Equal(Errno.EEXIST, e.Errno);
        Assert.Equal("create bridge br0: file exists", e.Message);
    }

    [Fact]
    public void GetLink_Enodev_IsNull()
    {
        var t = new ScriptedTransport { Reply = seq => [Error(seq, Errno.ENODEV)] };
        using var nl = new RouteNetlink(t);
        Assert.Null(nl.GetLink("missing"));
    }

    private static byte[] Patch(byte[] message, uint seq, int? index = null)
    {
        var copy = (byte[])message.Clone();
        BitConverter.GetBytes(seq).CopyTo(copy, 8);
        if (index is { } i) BitConverter.GetBytes(i).CopyTo(copy, 20);
        return copy;
    }

    private static byte[] Done(uint seq) => [20, 0, 0, 0, 3, 0, 2, 0, .. BitConverter.GetBytes(seq), 0, 0, 0, 0, 0, 0, 0, 0];
}
