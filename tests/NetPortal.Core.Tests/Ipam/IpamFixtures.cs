using System.Net;
using NetPortal.Core.Daemon;
using NetPortal.Core.Errors;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Tests.Ipam;

internal static class IpamFixtures
{
    public static readonly IReadOnlyList<Cidr> NoHostPrefixes = [];

    public static IpamPoolRequest Config(string? subnet, string? ipRange = null, string? gateway = null, Dictionary<string, string>? aux = null) =>
        new(subnet, ipRange, gateway, aux);

    public static IReadOnlyList<IpamPool> Create(this DefaultIpam ipam, string networkId, params IpamPoolRequest[] configs) =>
        ipam.RequestPools(networkId, configs, enableIPv4: true, enableIPv6: false, NoHostPrefixes);

    public static IpamPool CreateAuto(this DefaultIpam ipam, string networkId, params string[] hostPrefixes) =>
        ipam.RequestPools(networkId, [], enableIPv4: true, enableIPv6: false, hostPrefixes.Select(Cidr.Parse).ToList()).Single();

    public static NetPortalException Fails(ErrorKind kind, Action action)
    {
        var e = Assert.Throws<NetPortalException>(action);
        Assert.Equal(kind, e.Kind);
        return e;
    }

    public static IPAddress Ip(string text) => IPAddress.Parse(text);

    public static AddressPoolOption Pool(string baseCidr, int size) => new(baseCidr, size);
}
