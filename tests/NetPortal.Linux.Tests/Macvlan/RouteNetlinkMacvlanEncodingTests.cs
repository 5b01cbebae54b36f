using System.Text;
using NetPortal.Linux.Netlink;
using NetPortal.Linux.Tests.Netlink;

namespace NetPortal.Linux.Tests.Macvlan;

/// <summary>Byte-exact RTM_NEWLINK requests for macvlan, vlan and ipvlan (&lt;linux/if_link.h&gt;): the parent's ifindex comes from a GETLINK first.</summary>
public sealed class RouteNetlinkMacvlanEncodingTests
{
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

    private static byte[] Ack(uint seq) =>
    [
        36, 0, 0, 0, 2, 0, 0, 0, .. BitConverter.GetBytes(seq), 0, 0, 0, 0,
        0, 0, 0, 0,
        16, 0, 0, 0, 16, 0, 5, 6, .. BitConverter.GetBytes(seq), 0, 0, 0, 0,
    ];

    /// <summary>GETLINK answers with eth0 at ifindex 7; everything else is ACKed.</summary>
    private static (RouteNetlink, ScriptedTransport) Open()
    {
        var t = new ScriptedTransport();
        t.Reply = seq => t.Sent.Count == 1 ? [Message(16, 0, seq, IfInfo(7), Str(3, "eth0"))] : [Ack(seq)];
        return (new RouteNetlink(t), t);
    }

    private static uint Seq(byte[] sent) => BitConverter.ToUInt32(sent, 8);

    [Fact]
    public void CreateMacvlan_LinkNetnsAndMode()
    {
        var (nl, t) = Open();
        nl.CreateMacvlan("macvlanabcdefa", "eth0", 4, namespaceFd: 9);
        var sent = t.Sent[1];
        byte[] linkinfo = [.. Str(1, "macvlan"), .. Attr(2, U32(1, 4))];
        Assert.Equal(Message(16, 0x1 | 0x4 | 0x200 | 0x400, Seq(sent), IfInfo(), Str(3, "macvlanabcdefa"), U32(5, 7), U32(28, 9), Attr(18, linkinfo)), sent);
    }

    [Fact]
    public void CreateVlan_IdIsU16_GroupMarks()
    {
        var (nl, t) = Open();
        nl.CreateVlan("eth0.10", "eth0", 10, 0x4e51);
        var sent = t.Sent[1];
        byte[] linkinfo = [.. Str(1, "vlan"), .. Attr(2, Attr(1, U16(10)))];
        Assert.Equal(Message(16, 0x1 | 0x4 | 0x200 | 0x400, Seq(sent), IfInfo(), Str(3, "eth0.10"), U32(5, 7), U32(27, 0x4e51), Attr(18, linkinfo)), sent);
    }

    [Fact]
    public void CreateIpvlan_ModeAndFlagsAreU16()
    {
        var (nl, t) = Open();
        nl.CreateIpvlan("ipvlanabcdefa", "eth0", 1, 2);
        var sent = t.Sent[1];
        byte[] linkinfo = [.. Str(1, "ipvlan"), .. Attr(2, [.. Attr(1, U16(1)), .. Attr(2, U16(2))])];
        Assert.Equal(Message(16, 0x1 | 0x4 | 0x200 | 0x400, Seq(sent), IfInfo(), Str(3, "ipvlanabcdefa"), U32(5, 7), Attr(18, linkinfo)), sent);
    }
}
