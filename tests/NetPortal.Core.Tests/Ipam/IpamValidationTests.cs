using NetPortal.Core.Errors;
using NetPortal.Core.Ipam;
using static NetPortal.Core.Tests.Ipam.IpamFixtures;

namespace NetPortal.Core.Tests.Ipam;

public sealed class IpamValidationTests
{
    private static readonly Dictionary<string, string> NoAux = [];

    public static TheoryData<string?, string?, string?, Dictionary<string, string>, string> SingleErrors => new()
    {
        { "10.0.0/24", null, null, NoAux, "invalid subnet 10.0.0/24: invalid CIDR block notation" },
        { "010.0.0.0/8", null, null, NoAux, "invalid subnet 010.0.0.0/8: invalid CIDR block notation" },
        { "10.0.0.0/08", null, null, NoAux, "invalid subnet 10.0.0.0/08: invalid CIDR block notation" },
        { "10.0.0.0/33", null, null, NoAux, "invalid subnet 10.0.0.0/33: invalid CIDR block notation" },
        { "10.0.0.0", null, null, NoAux, "invalid subnet 10.0.0.0: invalid CIDR block notation" },
        { "[fd00::]/64", null, null, NoAux, "invalid subnet [fd00::]/64: invalid CIDR block notation" },
        { "10.0.0.1/24", null, null, NoAux, "invalid subnet 10.0.0.1/24: it should be 10.0.0.0/24" },
        { "10.0.0.0/24", "foo", null, NoAux, "invalid ip-range foo: invalid CIDR block notation" },
        { "10.0.0.0/24", "fd00::/64", null, NoAux, "invalid ip-range fd00::/64: parent subnet is an IPv4 block" },
        { "fd00::/64", "10.0.0.0/24", null, NoAux, "invalid ip-range 10.0.0.0/24: parent subnet is an IPv6 block" },
        { "10.0.0.0/24", "10.0.0.0/16", null, NoAux, "invalid ip-range 10.0.0.0/16: CIDR block is bigger than its parent subnet 10.0.0.0/24" },
        { "10.0.0.0/24", "10.0.0.5/28", null, NoAux, "invalid ip-range 10.0.0.5/28: it should be 10.0.0.0/28" },
        { "10.0.0.0/24", "10.1.0.0/28", null, NoAux, "invalid ip-range 10.1.0.0/28: parent subnet 10.0.0.0/24 doesn't contain ip-range" },
        { "10.0.0.0/24", null, "10.0.0.300", NoAux, "invalid gateway 10.0.0.300: invalid address" },
        { "10.0.0.0/24", null, "10.0.0.01", NoAux, "invalid gateway 10.0.0.01: invalid address" },
        { "10.0.0.0/24", null, "fd00::1", NoAux, "invalid gateway fd00::1: parent subnet is an IPv4 block" },
        { "fd00::/64", null, "10.0.0.1", NoAux, "invalid gateway 10.0.0.1: parent subnet is an IPv6 block" },
        { "10.0.0.0/24", null, "10.1.0.1", NoAux, "invalid gateway 10.1.0.1: parent subnet 10.0.0.0/24 doesn't contain this address" },
        { "10.0.0.0/24", null, null, new() { ["host1"] = "10.1.0.5" }, "invalid auxiliary address host1: parent subnet 10.0.0.0/24 doesn't contain this address" },
        { "10.0.0.0/24", null, null, new() { ["host1"] = "nope" }, "invalid auxiliary address host1: invalid address" },
        { "10.0.0.0/24", null, null, new() { ["host1"] = "fd00::5" }, "invalid auxiliary address host1: parent subnet is an IPv4 block" },
        { "", "10.0.0.0/24", null, NoAux, "invalid subnet : invalid CIDR block notation" },
        { null, null, "10.0.0.1", NoAux, "invalid subnet : invalid CIDR block notation" },
    };

    [Theory]
    [MemberData(nameof(SingleErrors))]
    public void Single_error_is_reported_bare(string? subnet, string? ipRange, string? gateway, Dictionary<string, string> aux, string expected)
    {
        var ipam = new DefaultIpam(null);

        var e = Fails(ErrorKind.InvalidParameter,
            () => ipam.RequestPools("n1", [Config(subnet, ipRange, gateway, aux)], enableIPv4: true, enableIPv6: true, NoHostPrefixes));

        Assert.Equal("invalid network config:\n" + expected, e.Message);
    }

    [Fact]
    public void Several_errors_are_listed_as_bullets_in_order()
    {
        var ipam = new DefaultIpam(null);

        var e = Fails(ErrorKind.InvalidParameter, () => ipam.Create("n1",
            Config("10.0.0.1/24", gateway: "10.1.0.1"),
            Config("10.2.0.0/24", ipRange: "10.2.0.5/16", aux: new() { ["b"] = "1.1.1.1", ["a"] = "x" })));

        Assert.Equal(
            "invalid network config:\n" +
            "* invalid subnet 10.0.0.1/24: it should be 10.0.0.0/24\n" +
            "* invalid gateway 10.1.0.1: parent subnet 10.0.0.1/24 doesn't contain this address\n" +
            "* invalid ip-range 10.2.0.5/16: CIDR block is bigger than its parent subnet 10.2.0.0/24\n" +
            "* invalid ip-range 10.2.0.5/16: it should be 10.2.0.0/16\n" +
            "* invalid auxiliary address a: invalid address\n" +
            "* invalid auxiliary address b: parent subnet 10.2.0.0/24 doesn't contain this address",
            e.Message);
    }

    [Fact]
    public void Invalid_cidr_stops_checks_of_that_config_only()
    {
        var ipam = new DefaultIpam(null);

        var e = Fails(ErrorKind.InvalidParameter, () => ipam.Create("n1",
            Config("nonsense", gateway: "also-nonsense"),
            Config("10.0.0.0/24", gateway: "10.0.1.1")));

        Assert.Equal(
            "invalid network config:\n* invalid subnet nonsense: invalid CIDR block notation\n" +
            "* invalid gateway 10.0.1.1: parent subnet 10.0.0.0/24 doesn't contain this address",
            e.Message);
    }

    [Fact]
    public void IPv6_configs_are_not_validated_nor_allocated_when_IPv6_is_disabled()
    {
        var ipam = new DefaultIpam(null);

        var pools = ipam.RequestPools("n1", [Config("fd00::1/64", gateway: "10.0.0.1")], enableIPv4: true, enableIPv6: false, NoHostPrefixes);

        Assert.Equal(["172.17.0.0/16"], pools.Select(p => p.Subnet));
    }

    [Fact]
    public void IPv6_configs_are_validated_when_IPv6_is_enabled()
    {
        var ipam = new DefaultIpam(null);

        var e = Fails(ErrorKind.InvalidParameter,
            () => ipam.RequestPools("n1", [Config("fd00::1/64")], enableIPv4: true, enableIPv6: true, NoHostPrefixes));

        Assert.Equal("invalid network config:\ninvalid subnet fd00::1/64: it should be fd00::/64", e.Message);
    }

    [Fact]
    public void Malformed_cidr_is_reported_even_when_IPv6_is_disabled()
    {
        var ipam = new DefaultIpam(null);

        var e = Fails(ErrorKind.InvalidParameter,
            () => ipam.RequestPools("n1", [Config("fd00::/129")], enableIPv4: true, enableIPv6: false, NoHostPrefixes));

        Assert.Equal("invalid network config:\ninvalid subnet fd00::/129: invalid CIDR block notation", e.Message);
    }

    [Fact]
    public void Zoned_gateway_is_not_contained_as_in_go()
    {
        var ipam = new DefaultIpam(null);

        var e = Fails(ErrorKind.InvalidParameter,
            () => ipam.RequestPools("n1", [Config("fe80::/64", gateway: "fe80::1%eth0")], enableIPv4: false, enableIPv6: true, NoHostPrefixes));

        Assert.Equal("invalid network config:\ninvalid gateway fe80::1%eth0: parent subnet fe80::/64 doesn't contain this address", e.Message);
    }

    [Fact]
    public void Failed_validation_reserves_nothing()
    {
        var ipam = new DefaultIpam(null);

        Fails(ErrorKind.InvalidParameter, () => ipam.Create("n1", Config("10.0.0.0/24"), Config("bad")));
        var pools = ipam.Create("n1", Config("10.0.0.0/24"));

        Assert.Equal("10.0.0.0/24", pools.Single().Subnet);
    }

    [Fact]
    public void Valid_config_passes_with_every_field_set()
    {
        var ipam = new DefaultIpam(null);

        var pool = ipam.Create("n1", Config("10.0.0.0/24", "10.0.0.128/25", "10.0.0.254", new() { ["r"] = "10.0.0.10" })).Single();

        Assert.Equal(("10.0.0.0/24", "10.0.0.128/25", "10.0.0.254", true, true),
            (pool.Subnet, pool.IPRange, pool.Gateway, pool.SubnetRequested, pool.GatewayRequested));
        Assert.Equal(new Dictionary<string, string> { ["r"] = "10.0.0.10" }, pool.AuxiliaryAddresses);
    }
}
