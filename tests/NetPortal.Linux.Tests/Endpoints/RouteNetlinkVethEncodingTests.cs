using System.Net;
using System.Text;
using NetPortal.Linux.Netlink;
using NetPortal.Linux.Tests.Netlink;

namespace NetPortal.Linux.Tests.Endpoints;

/// <summary>Byte-exact requests of the endpoint operations (layouts from &lt;linux/if_link.h&gt;, &lt;linux/veth.h&gt;, &lt;linux/if_addr.h&gt;).</summary>
public sealed class RouteNetlinkVethEncodingTests
{
    private static byte[] Ack(uint seq) =>
    [
        36, 0, 0, 0, 2, 0, 0, 0, .. BitConverter.GetBytes(seq), 0, 0, 0, 0,
        0, 0, 0, 0,
        16, 0, 0, 0, 16, 0, 5, 6, .. BitConverter.GetBytes(seq), 0, 0, 0, 0,
    ];

    private static byte[] U16(int v) => BitConverter.GetBytes((ushort)v);

    private static byte[] Attr(int type, params byte[] value)
    {
        var padded = new byte[(value.Length + 3) & ~3];
        value.CopyTo(padded, 0);
        return [.. U16(4 + value.Length), .. U16(type), .. padded];
    }

    private static byte[] Str(int type, string s) => Attr(type, [.. Encoding.ASCII.GetBytes(s), 0]);

    private static byte[] U32(int type, uint v) => Attr(type, BitConverter.GetBytes(v));

    private static byte[] IfInfo(int index = 0) => [0, 0, 0, 0, .. BitConverter.GetBytes(index), 0, 0, 0, 0, 0, 0, 0, 0];

    private static byte[] Message(int type, int flags, uint seq, params byte[][] parts)
    {
        var body = parts.SelectMany(p => p).ToArray();
        return [.. BitConverter.GetBytes(16 + body.Length), .. U16(type), .. U16(flags), .. BitConverter.GetBytes(seq), 0, 0, 0, 0, .. body];
    }

    private static (RouteNetlink Netlink, ScriptedTransport Transport) Open()
    {
        var t = new ScriptedTransport { Reply = seq => [Ack(seq)] };
        return (new RouteNetlink(t), t);
    }

    private static uint Seq(byte[] sent) => BitConverter.ToUInt32(sent, 8);

    [Fact]
    public void CreateVethPair_NestsPeerIfinfomsgWithNameTxqlenMtu()
    {
        var (nl, t) = Open();
        nl.CreateVethPair("vethaaaaaaa", "vethbbbbbbb", 1450);

        var sent = Assert.Single(t.Sent);
        // VETH_INFO_PEER (1) inside IFLA_INFO_DATA (2) inside IFLA_LINKINFO (18): ifinfomsg, then the peer's own attributes.
        byte[] peer = [.. IfInfo(), .. Str(3, "vethbbbbbbb"), .. U32(13, 0), .. U32(4, 1450)];
        byte[] data = Attr(1, peer);
        byte[] linkinfo = [.. Str(1, "veth"), .. Attr(2, data)];
        var expected = Message(16, 0x1 | 0x4 | 0x200 | 0x400, Seq(sent),
            IfInfo(), Str(3, "vethaaaaaaa"), U32(13, 0), U32(4, 1450), Attr(18, linkinfo));
        Assert.Equal(expected, sent);
        Assert.Equal(136, sent.Length);
    }

    [Fact]
    public void SetNetworkNamespace_SendsFdAsIflaNetNsFd()
    {
        var (nl, t) = Open();
        nl.SetNetworkNamespace("vethbbbbbbb", 42);
        var sent = Assert.Single(t.Sent);
        Assert.Equal(Message(16, 0x5, Seq(sent), IfInfo(), Str(3, "vethbbbbbbb"), U32(28, 42)), sent);
    }

    [Fact]
    public void SetMacAddress_SendsIflaAddress()
    {
        var (nl, t) = Open();
        nl.SetMacAddress("eth0", [0x02, 0x42, 0xac, 0x11, 0x00, 0x02]);
        var sent = Assert.Single(t.Sent);
        Assert.Equal(Message(16, 0x5, Seq(sent), IfInfo(), Str(3, "eth0"), Attr(1, 0x02, 0x42, 0xac, 0x11, 0x00, 0x02)), sent);
    }

    [Fact]
    public void AddAddressNoDad_SetsIfaFlagsNodad()
    {
        var t = new ScriptedTransport();
        var nl = new RouteNetlink(t);
        // GetLink first (to learn the ifindex): answer with a minimal RTM_NEWLINK for index 9, then the ACK.
        t.Reply = seq => t.Sent.Count == 1 ? [Message(16, 0, seq, IfInfo(9), Str(3, "eth0"))] : [Ack(seq)];
        nl.AddAddressNoDad("eth0", IPAddress.Parse("fd00::2"), 64);
        var sent = t.Sent[1];
        byte[] ifaddrmsg = [10, 64, 0x02, 0, .. BitConverter.GetBytes(9)];
        Assert.Equal(Message(20, 0x1 | 0x4 | 0x200 | 0x400, Seq(sent), ifaddrmsg, Attr(1, IPAddress.Parse("fd00::2").GetAddressBytes())), sent);
    }
}
