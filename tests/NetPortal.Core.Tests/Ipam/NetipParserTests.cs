using System.Net;
using NetPortal.Core.Ipam;

namespace NetPortal.Core.Tests.Ipam;

public sealed class NetipParserTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8", false)]
    [InlineData("10.1.2.3/8", "10.0.0.0/8", true)]
    [InlineData("0.0.0.0/0", "0.0.0.0/0", false)]
    [InlineData("fd00::1/64", "fd00::/64", true)]
    [InlineData("FD00:0:0:0::/48", "fd00::/48", false)]
    [InlineData("::ffff:10.0.0.0/104", "::ffff:10.0.0.0/104", false)]
    public void Cidr_accepts_go_prefixes(string text, string canonical, bool hostBits)
    {
        Assert.True(Cidr.TryParse(text, out var cidr, out var hostBitsSet));
        Assert.Equal(canonical, cidr.ToString());
        Assert.Equal(hostBits, hostBitsSet);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0/24")]
    [InlineData("010.0.0.0/8")]
    [InlineData("0x0a.0.0.0/8")]
    [InlineData("10.0.0.256/24")]
    [InlineData("10.0.0.0/08")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/33")]
    [InlineData(" 10.0.0.0/8")]
    [InlineData("[fd00::]/64")]
    [InlineData("fd00::%eth0/64")]
    [InlineData("fd00::12345/64")]
    [InlineData("fd00::/129")]
    [InlineData("::ffff:010.0.0.0/104")]
    public void Cidr_rejects_what_go_rejects(string text)
    {
        Assert.False(Cidr.TryParse(text, out _, out _));
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1", false)]
    [InlineData("0.0.0.0", "0.0.0.0", false)]
    [InlineData("fe80::1%eth0", "fe80::1", true)]
    [InlineData("::", "::", false)]
    public void Address_parses(string text, string expected, bool zone)
    {
        Assert.True(NetipParser.TryParseAddress(text, out var address, out var hasZone));
        Assert.Equal(IPAddress.Parse(expected), address);
        Assert.Equal(zone, hasZone);
    }

    [Theory]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.01")]
    [InlineData("1.2.3.4.5")]
    [InlineData("10.0.0.1 ")]
    [InlineData("fe80::1%")]
    [InlineData("[::1]")]
    [InlineData("1::2::3")]
    public void Address_rejects(string text)
    {
        Assert.False(NetipParser.TryParseAddress(text, out _, out _));
    }
}
