using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Tests.Netlink;

public sealed class NetlinkWriterTests
{
    [Fact]
    public void CreateBridgeMessage_IsByteExact()
    {
        var buf = new byte[256];
        var w = new NetlinkWriter(buf);
        w.BeginMessage(Nl.RTM_NEWLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, 7);
        w.WriteHeader(new ifinfomsg());
        w.AddString(Nl.IFLA_IFNAME, "br0");
        var nest = w.BeginNested(Nl.IFLA_LINKINFO);
        w.AddString(Nl.IFLA_INFO_KIND, "bridge");
        w.EndNested(nest);
        var bytes = w.EndMessage().ToArray();

        byte[] expected =
        [
            56, 0, 0, 0, 16, 0, 0x05, 0x06, 7, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: len 56, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE, seq 7
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,         // ifinfomsg
            8, 0, 3, 0, (byte)'b', (byte)'r', (byte)'0', 0,         // IFLA_IFNAME "br0\0" (len 8, no padding)
            16, 0, 18, 0,                                           // IFLA_LINKINFO, len 16
            11, 0, 1, 0, (byte)'b', (byte)'r', (byte)'i', (byte)'d', (byte)'g', (byte)'e', 0, 0, // INFO_KIND len 11 + 1 pad
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Attributes_ArePaddedToFourBytes_AndLengthCountsPadding()
    {
        var buf = new byte[64];
        var w = new NetlinkWriter(buf);
        w.BeginMessage(Nl.RTM_GETLINK, Nl.NLM_F_REQUEST, 1);
        w.AddAttribute(1, [0xAA]);
        w.AddUInt32(4, 0x01020304);
        var bytes = w.EndMessage().ToArray();
        Assert.Equal(16 + 8 + 8, bytes.Length);
        Assert.Equal(32, bytes[0]);
        Assert.Equal(new byte[] { 5, 0, 1, 0, 0xAA, 0, 0, 0 }, bytes[16..24]);
        Assert.Equal(new byte[] { 8, 0, 4, 0, 4, 3, 2, 1 }, bytes[24..32]);
    }

    [Fact]
    public void AddressMessage_HasLocalAddressAndBroadcast()
    {
        Assert.Equal(new byte[] { 10, 1, 2, 255 }, RouteNetlink.Broadcast([10, 1, 2, 1], 24));
        Assert.Equal(new byte[] { 172, 31, 255, 255 }, RouteNetlink.Broadcast([172, 18, 0, 1], 12));
    }

    [Fact]
    public void BufferTooSmall_Throws()
    {
        var ex = Record.Exception(() =>
        {
            var w = new NetlinkWriter(new byte[20]);
            w.BeginMessage(1, 1, 1);
            w.AddUInt32(1, 1);
        });
        Assert.IsType<InvalidOperationException>(ex);
    }
}
