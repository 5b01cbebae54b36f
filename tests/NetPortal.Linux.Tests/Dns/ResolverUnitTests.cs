using System.Net;
using NetPortal.Linux.Dns;

namespace NetPortal.Linux.Tests.Dns;

public sealed class ResolverUnitTests
{
    [Theory]
    [InlineData("4.3.2.1.in-addr.arpa", "1.2.3.4")]
    [InlineData("2.0.99.10.IN-ADDR.ARPA", "10.99.0.2")]
    [InlineData("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa", "4321:0:1:2:3:4:567:89ab")]
    public void Reverse_names_give_the_address(string name, string address) =>
        Assert.Equal(IPAddress.Parse(address), ReverseName.TryParse(name.Split('.')));

    [Theory]
    [InlineData("3.2.1.in-addr.arpa")]
    [InlineData("256.3.2.1.in-addr.arpa")]
    [InlineData("04.3.2.1.in-addr.arpa")]
    [InlineData("x.3.2.1.in-addr.arpa")]
    [InlineData("4.3.2.1.example.arpa")]
    [InlineData("c2")]
    public void Other_names_are_not_reverse_names(string name) => Assert.Null(ReverseName.TryParse(name.Split('.')));

    [Fact]
    public void Upstreams_are_parsed_capped_and_never_ourselves()
    {
        var parsed = UpstreamForwarder.ParseUpstreams(["127.0.0.11", "junk", "1.1.1.1", "[::1]:5353", "fe80::1%1", "9.9.9.9"]);
        Assert.Equal(["1.1.1.1:53", "[::1]:5353", "[fe80::1%1]:53"], parsed.Select(p => p.ToString()));
    }

    [Fact]
    public void Install_adds_the_jumps_once()
    {
        var fresh = ResolverNat.Install(1000, 2000, "*nat\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n");
        Assert.Contains("-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT\n", fresh);
        Assert.Contains("--dport 53 -j DNAT --to-destination 127.0.0.11:2000", fresh);
        Assert.Contains("-p tcp -m tcp --sport 1000 -j SNAT --to-source :53", fresh);
        var again = ResolverNat.Install(1001, 2001, fresh);
        Assert.DoesNotContain("-A OUTPUT", again);
        Assert.DoesNotContain("-A POSTROUTING", again);
        Assert.Equal("", ResolverNat.Remove("*nat\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n"));
    }
}
