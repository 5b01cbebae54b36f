using NetPortal.Core.Containers;

namespace NetPortal.Core.Tests.Containers;

/// <summary>Expected texts are what dockerd 20.10 wrote for the same containers (captured from the reference daemon).</summary>
public sealed class ResolverFilesTests
{
    private const string Defaults =
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    [Fact]
    public void HostsOnTheDefaultBridgeWithLinkExtraHostAndDomain()
    {
        var text = ResolverFiles.Hosts(["foo:10.0.0.9"], [new("172.17.0.2", "alias1", "bfc02e276eab", "r1")], ["172.17.0.3"], "h2", "example.com");
        Assert.Equal(Defaults + "10.0.0.9\tfoo\n172.17.0.2\talias1 bfc02e276eab r1\n172.17.0.3\th2.example.com h2\n", text);
    }

    [Fact]
    public void HostsOnAUserNetwork()
    {
        Assert.Equal(Defaults + "192.168.160.2\t7620e5d8fa50\n", ResolverFiles.Hosts([], [], ["192.168.160.2"], "7620e5d8fa50", ""));
    }

    [Fact]
    public void EmbeddedResolverWithSearchAndOptions()
    {
        var text = ResolverFiles.ResolvConf("nameserver 10.255.255.53\n", embeddedDns: true, ["9.9.9.9"], ["a.b"], ["ndots:2"], ipv6: false);
        Assert.Equal("search a.b\nnameserver 127.0.0.11\noptions ndots:2\n", text);
    }

    [Fact]
    public void EmbeddedResolverDefaultsToNdotsZero()
    {
        Assert.Equal("nameserver 127.0.0.11\noptions ndots:0\n", ResolverFiles.ResolvConf("nameserver 1.1.1.1\n", true, [], [], [], false));
    }

    [Fact]
    public void DefaultBridgeDropsLoopbackServersAndFallsBackToGoogle()
    {
        Assert.Equal("nameserver 10.255.255.53\n", ResolverFiles.ResolvConf("# c\nnameserver 10.255.255.53\nnameserver 127.0.0.53\n", false, [], [], [], false));
        Assert.Equal("search lan\nnameserver 8.8.8.8\nnameserver 8.8.4.4\noptions edns0\n",
            ResolverFiles.ResolvConf("nameserver 127.0.0.53\nsearch lan\noptions edns0\n", false, [], [], [], false));
        Assert.Equal("nameserver 1.2.3.4\n", ResolverFiles.ResolvConf("nameserver 10.0.0.1\n", false, ["1.2.3.4"], [], [], false));
    }

    [Fact]
    public void UpstreamsKeepLoopbackServersAndPreferDnsFlag()
    {
        Assert.Equal(["127.0.0.53", "10.0.0.1"], ResolverFiles.Upstreams("nameserver 127.0.0.53\nnameserver 10.0.0.1\n", []));
        Assert.Equal(["9.9.9.9"], ResolverFiles.Upstreams("nameserver 127.0.0.53\n", ["9.9.9.9"]));
    }

    [Fact]
    public void MacFromIPv4IsDocker2010s()
    {
        Assert.Equal("02:42:c0:a8:a0:02", MacAddresses.FromIPv4(System.Net.IPAddress.Parse("192.168.160.2")));
        Assert.True(MacAddresses.TryParse("02:42:ac:11:00:02", out _));
        Assert.False(MacAddresses.TryParse("02:42:ac:11:00", out _));
    }

    [Fact]
    public void SignalsParseLikeDocker()
    {
        Assert.Equal(15, Signals.Parse("SIGTERM", 9));
        Assert.Equal(9, Signals.Parse("KILL", 15));
        Assert.Equal(10, Signals.Parse("10", 15));
        Assert.Equal(15, Signals.Parse(null, 15));
        var e = Assert.Throws<NetPortal.Core.Errors.NetPortalException>(() => Signals.Parse("NOPE", 15));
        Assert.Equal("Invalid signal: NOPE", e.Message);
    }
}
