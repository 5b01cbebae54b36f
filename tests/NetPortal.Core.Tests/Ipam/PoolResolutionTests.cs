using NetPortal.Core.Errors;
using NetPortal.Core.Ipam;
using static NetPortal.Core.Tests.Ipam.IpamFixtures;

namespace NetPortal.Core.Tests.Ipam;

public sealed class PoolResolutionTests
{
    private const string Overlap = "invalid pool request: Pool overlaps with other one on this address space";
    private const string Exhausted = "all predefined address pools have been fully subnetted";

    [Fact]
    public void Default_pools_are_handed_out_in_docker_order()
    {
        var ipam = new DefaultIpam(null);

        var subnets = Enumerable.Range(0, 5).Select(i => ipam.CreateAuto($"n{i}")).ToList();

        Assert.Equal(["172.17.0.0/16", "172.18.0.0/16", "172.19.0.0/16", "172.20.0.0/16", "172.21.0.0/16"], subnets.Select(p => p.Subnet));
        Assert.Equal("172.17.0.1", subnets[0].Gateway);
        Assert.All(subnets, p => Assert.False(p.SubnetRequested || p.GatewayRequested));
        Assert.All(subnets, p => Assert.Null(p.IPRange));
    }

    [Fact]
    public void All_31_default_subnets_then_exhausted()
    {
        var ipam = new DefaultIpam(null);

        var subnets = Enumerable.Range(0, 31).Select(i => ipam.CreateAuto($"n{i}").Subnet).ToList();
        var e = Fails(ErrorKind.InvalidParameter, () => ipam.CreateAuto("last"));

        Assert.Equal(Exhausted, e.Message);
        Assert.Equal("172.31.0.0/16", subnets[14]);
        Assert.Equal("192.168.0.0/20", subnets[15]);
        Assert.Equal("192.168.240.0/20", subnets[30]);
        Assert.Equal(31, subnets.Distinct().Count());
    }

    [Fact]
    public void Released_default_subnet_is_reused_first()
    {
        var ipam = new DefaultIpam(null);
        ipam.CreateAuto("a");
        ipam.CreateAuto("b");

        ipam.ReleasePools("a");

        Assert.Equal("172.17.0.0/16", ipam.CreateAuto("c").Subnet);
    }

    [Fact]
    public void Auto_pick_skips_explicit_pools_of_other_networks()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("explicit", Config("172.17.128.0/24"));

        Assert.Equal("172.18.0.0/16", ipam.CreateAuto("auto").Subnet);
    }

    [Fact]
    public void Auto_pick_jumps_over_a_pool_covering_several_defaults()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("big", Config("172.16.0.0/12"));

        Assert.Equal("192.168.0.0/20", ipam.CreateAuto("auto").Subnet);
    }

    [Fact]
    public void Auto_pick_skips_host_prefixes()
    {
        var ipam = new DefaultIpam(null);

        var pool = ipam.CreateAuto("n1", "172.17.0.0/16", "172.18.200.0/24", "0.0.0.0/0", "fd00::/64");

        Assert.Equal("172.19.0.0/16", pool.Subnet);
    }

    [Fact]
    public void Custom_default_pools_are_split_and_sorted_by_address()
    {
        var ipam = new DefaultIpam([Pool("10.20.0.0/16", 24), Pool("10.10.0.0/16", 24)]);

        var a = ipam.CreateAuto("a");
        Assert.Equal(("10.10.0.0/24", "10.10.0.1"), (a.Subnet, a.Gateway));
        Assert.Equal("10.10.1.0/24", ipam.CreateAuto("b").Subnet);
        Assert.Equal("10.10.4.0/24", ipam.CreateAuto("c", "10.10.2.0/23").Subnet);
    }

    [Fact]
    public void Custom_default_pool_inside_an_earlier_one_is_dropped()
    {
        var ipam = new DefaultIpam([Pool("10.0.0.0/8", 16), Pool("10.1.0.0/16", 24)]);

        Assert.Equal("10.0.0.0/16", ipam.CreateAuto("a").Subnet);
        Assert.Equal("10.1.0.0/16", ipam.CreateAuto("b").Subnet);
    }

    [Fact]
    public void Custom_default_pools_exhaust()
    {
        var ipam = new DefaultIpam([Pool("10.10.0.0/23", 24)]);
        ipam.CreateAuto("a");
        ipam.CreateAuto("b");

        Assert.Equal(Exhausted, Fails(ErrorKind.InvalidParameter, () => ipam.CreateAuto("c")).Message);
    }

    [Fact]
    public void Huge_custom_pool_is_not_enumerated()
    {
        var ipam = new DefaultIpam([Pool("10.0.0.0/8", 30)]);
        ipam.Create("x", Config("10.0.0.0/9"));

        Assert.Equal("10.128.0.0/30", ipam.CreateAuto("a").Subnet);
    }

    [Theory]
    [InlineData("10.0.0.0/33", 33)]
    [InlineData("10.0.0.0/16", 8)]
    [InlineData("not-a-cidr", 24)]
    public void Invalid_default_pool_option_is_rejected(string baseCidr, int size)
    {
        Assert.Throws<ArgumentException>(() => new DefaultIpam([Pool(baseCidr, size)]));
    }

    [Theory]
    [InlineData("172.17.0.0/16")]
    [InlineData("172.17.5.0/24")]
    [InlineData("172.0.0.0/8")]
    public void Explicit_subnet_overlapping_another_network_is_forbidden(string subnet)
    {
        var ipam = new DefaultIpam(null);
        ipam.CreateAuto("first");

        Assert.Equal(Overlap, Fails(ErrorKind.Forbidden, () => ipam.Create("second", Config(subnet))).Message);
    }

    [Fact]
    public void Overlapping_subnets_in_one_request_are_forbidden_and_reserve_nothing()
    {
        var ipam = new DefaultIpam(null);

        Assert.Equal(Overlap, Fails(ErrorKind.Forbidden, () => ipam.Create("n1", Config("10.1.0.0/24"), Config("10.1.0.0/25"))).Message);
        Assert.Equal("10.1.0.0/24", ipam.Create("n2", Config("10.1.0.0/24")).Single().Subnet);
    }

    [Fact]
    public void IPv6_subnets_overlap_only_with_IPv6()
    {
        var ipam = new DefaultIpam(null);
        ipam.RequestPools("a", [Config("fd01::/64")], enableIPv4: true, enableIPv6: true, NoHostPrefixes);

        var e = Fails(ErrorKind.Forbidden,
            () => ipam.RequestPools("b", [Config("fd01::/48")], enableIPv4: true, enableIPv6: true, NoHostPrefixes));

        Assert.Equal(Overlap, e.Message);
        Assert.Equal(2, ipam.RequestPools("c", [Config("10.0.0.0/24"), Config("fd02::/64")], true, true, NoHostPrefixes).Count);
    }

    [Fact]
    public void Explicit_subnet_overlapping_a_host_prefix_is_forbidden()
    {
        var ipam = new DefaultIpam(null);

        var e = Fails(ErrorKind.Forbidden,
            () => ipam.RequestPools("n1", [Config("192.168.1.0/24")], true, false, [Cidr.Parse("192.168.0.0/16")]));

        Assert.Equal("invalid pool request: subnet 192.168.1.0/24 overlaps with 192.168.0.0/16 present in the managed namespace", e.Message);
    }

    [Fact]
    public void Default_route_and_other_family_host_prefixes_do_not_block_explicit_subnets()
    {
        var ipam = new DefaultIpam(null);

        var pool = ipam.RequestPools("n1", [Config("10.5.0.0/24")], true, false, [Cidr.Parse("0.0.0.0/0"), Cidr.Parse("fd00::/8")]).Single();

        Assert.Equal("10.5.0.0/24", pool.Subnet);
    }

    [Fact]
    public void Host_prefix_inside_an_existing_pool_is_reported_as_pool_overlap()
    {
        var ipam = new DefaultIpam(null);
        ipam.CreateAuto("bridge");

        var e = Fails(ErrorKind.Forbidden,
            () => ipam.RequestPools("n1", [Config("172.17.3.0/24")], true, false, [Cidr.Parse("172.17.0.0/16")]));

        Assert.Equal(Overlap, e.Message);
    }

    [Fact]
    public void Host_prefix_inside_an_existing_pool_does_not_block_other_subnets()
    {
        var ipam = new DefaultIpam(null);
        ipam.CreateAuto("bridge");

        var pool = ipam.RequestPools("n1", [Config("10.3.0.0/24")], true, false, [Cidr.Parse("172.17.0.0/16")]).Single();

        Assert.Equal("10.3.0.0/24", pool.Subnet);
    }

    [Fact]
    public void Requested_gateway_is_kept()
    {
        var ipam = new DefaultIpam(null);

        var pool = ipam.Create("n1", Config("10.0.0.0/24", gateway: "10.0.0.254")).Single();

        Assert.Equal(("10.0.0.254", true, true), (pool.Gateway, pool.GatewayRequested, pool.SubnetRequested));
    }

    [Fact]
    public void Default_gateway_is_the_first_host_address_even_with_an_ip_range()
    {
        var ipam = new DefaultIpam(null);

        var pool = ipam.Create("n1", Config("10.0.0.0/16", ipRange: "10.0.5.0/24")).Single();

        Assert.Equal(("10.0.0.1", false), (pool.Gateway, pool.GatewayRequested));
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.255")]
    public void Gateway_on_network_or_broadcast_address_fails_like_libnetwork(string gateway)
    {
        var ipam = new DefaultIpam(null);

        var e = Fails(ErrorKind.Internal, () => ipam.Create("n1", Config("10.0.0.0/24", gateway: gateway)));

        Assert.Equal($"failed to allocate gateway ({gateway}): Address already in use", e.Message);
    }

    [Fact]
    public void Auxiliary_address_on_the_gateway_fails_like_libnetwork()
    {
        var ipam = new DefaultIpam(null);

        var e = Fails(ErrorKind.Internal, () => ipam.Create("n1", Config("10.0.0.0/24", aux: new() { ["a"] = "10.0.0.1" })));

        Assert.Equal("failed to allocate secondary ip address (a:10.0.0.1): Address already in use", e.Message);
        Assert.Empty(ipam.Usage("n1"));
    }

    [Fact]
    public void Two_auxiliary_names_on_one_address_fail()
    {
        var ipam = new DefaultIpam(null);

        var e = Fails(ErrorKind.Internal, () => ipam.Create("n1", Config("10.0.0.0/24", aux: new() { ["b"] = "10.0.0.9", ["a"] = "10.0.0.9" })));

        Assert.Equal("failed to allocate secondary ip address (b:10.0.0.9): Address already in use", e.Message);
    }

    [Fact]
    public void Auxiliary_address_outside_the_ip_range_but_in_the_subnet_is_accepted()
    {
        var ipam = new DefaultIpam(null);

        var pool = ipam.Create("n1", Config("10.0.0.0/16", ipRange: "10.0.1.0/24", aux: new() { ["r"] = "10.0.2.5" })).Single();

        Assert.Equal("10.0.2.5", pool.AuxiliaryAddresses["r"]);
    }

    [Fact]
    public void Point_to_point_subnet_reserves_neither_network_nor_broadcast()
    {
        var ipam = new DefaultIpam(null);

        var pool = ipam.Create("n1", Config("10.0.0.0/31")).Single();

        Assert.Equal("10.0.0.0", pool.Gateway);
        Assert.Equal("10.0.0.1", ipam.RequestAddress("n1", false, null).ToString());
    }

    [Fact]
    public void IPv6_without_subnet_gets_a_ULA_64_from_the_builtin_defaults()
    {
        var ipam = new DefaultIpam(null);

        var first = ipam.RequestPools("a", [], enableIPv4: true, enableIPv6: true, NoHostPrefixes);
        var second = ipam.RequestPools("b", [], enableIPv4: false, enableIPv6: true, NoHostPrefixes);

        Assert.Equal(["172.17.0.0/16", "fd00::/64"], first.Select(p => p.Subnet));
        Assert.Equal("fd00::1", first[1].Gateway);
        Assert.True(first[1].IsIPv6);
        Assert.Equal(["fd00:0:0:1::/64"], second.Select(p => p.Subnet));
    }

    [Fact]
    public void IPv6_without_subnet_fails_when_custom_pools_have_no_IPv6_base()
    {
        var ipam = new DefaultIpam([Pool("10.10.0.0/16", 24)]);

        var e = Fails(ErrorKind.InvalidParameter, () => ipam.RequestPools("a", [], true, true, NoHostPrefixes));

        Assert.Equal(Exhausted, e.Message);
        Assert.Empty(ipam.Usage("a"));
    }

    [Fact]
    public void IPv4_disabled_allocates_no_IPv4_pool_even_when_configured()
    {
        var ipam = new DefaultIpam(null);

        var pools = ipam.RequestPools("a", [Config("10.0.0.0/24"), Config("fd05::/64")], enableIPv4: false, enableIPv6: true, NoHostPrefixes);

        Assert.Equal(["fd05::/64"], pools.Select(p => p.Subnet));
        Assert.Equal("10.0.0.0/24", ipam.Create("b", Config("10.0.0.0/24")).Single().Subnet);
    }

    [Fact]
    public void Second_request_for_the_same_network_is_a_conflict()
    {
        var ipam = new DefaultIpam(null);
        ipam.CreateAuto("n1");

        Fails(ErrorKind.Conflict, () => ipam.CreateAuto("n1"));
    }

    [Fact]
    public void Restored_pools_block_overlapping_requests_and_default_picks()
    {
        var ipam = new DefaultIpam(null);

        ipam.RestorePools("bridge", [new("172.17.0.0/16", null, "172.17.0.1", true, true, new Dictionary<string, string>())]);

        Assert.Equal(Overlap, Fails(ErrorKind.Forbidden, () => ipam.Create("x", Config("172.17.0.0/24"))).Message);
        Assert.Equal("172.18.0.0/16", ipam.CreateAuto("y").Subnet);
    }
}
