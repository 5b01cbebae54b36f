using System.Diagnostics;
using System.Net;
using NetPortal.Core.Errors;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;
using static NetPortal.Core.Tests.Ipam.IpamFixtures;

namespace NetPortal.Core.Tests.Ipam;

public sealed class AddressAllocationTests
{
    private static List<string> AllocateAll(DefaultIpam ipam, string networkId, bool ipv6 = false)
    {
        var result = new List<string>();
        while (true)
        {
            try { result.Add(ipam.RequestAddress(networkId, ipv6, null).ToString()); }
            catch (NetPortalException e) when (e.Kind == ErrorKind.Internal) { return result; }
        }
    }

    [Fact]
    public void First_container_gets_the_address_after_the_gateway()
    {
        var ipam = new DefaultIpam(null);
        ipam.CreateAuto("n1");

        Assert.Equal(Ip("172.17.0.2"), ipam.RequestAddress("n1", false, null));
        Assert.Equal(Ip("172.17.0.3"), ipam.RequestAddress("n1", false, null));
    }

    [Fact]
    public void Network_gateway_aux_and_broadcast_are_never_handed_out()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/29", gateway: "10.0.0.6", aux: new() { ["x"] = "10.0.0.3" }));

        var all = AllocateAll(ipam, "n1");

        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.4", "10.0.0.5"], all);
    }

    [Fact]
    public void Exhaustion_reports_the_network()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/30"));
        ipam.RequestAddress("n1", false, null);

        var e = Fails(ErrorKind.Internal, () => ipam.RequestAddress("n1", false, null));

        Assert.Equal("no available IPv4 addresses on this network's address pools: n1", e.Message);
    }

    [Fact]
    public void Allocation_is_serial_and_wraps_around_to_released_addresses()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/29"));
        var first = ipam.RequestAddress("n1", false, null);
        ipam.RequestAddress("n1", false, null);

        ipam.ReleaseAddress("n1", first);

        Assert.Equal(["10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.2"], AllocateAll(ipam, "n1"));
    }

    [Fact]
    public void Ip_range_bounds_dynamic_allocation()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/16", ipRange: "10.0.1.0/24"));

        var all = AllocateAll(ipam, "n1");

        Assert.Equal(256, all.Count);
        Assert.Equal("10.0.1.0", all[0]);
        Assert.Equal("10.0.1.255", all[^1]);
        Assert.All(all, a => Assert.StartsWith("10.0.1.", a));
    }

    [Fact]
    public void Ip_range_at_the_end_of_the_subnet_skips_the_broadcast_address()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/24", ipRange: "10.0.0.252/30"));

        Assert.Equal(["10.0.0.252", "10.0.0.253", "10.0.0.254"], AllocateAll(ipam, "n1"));
    }

    [Fact]
    public void Preferred_address_outside_the_ip_range_but_in_the_subnet_is_allowed()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/16", ipRange: "10.0.1.0/24"));

        Assert.Equal(Ip("10.0.200.7"), ipam.RequestAddress("n1", false, Ip("10.0.200.7")));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.255")]
    [InlineData("10.0.0.9")]
    public void Preferred_address_that_is_taken_or_reserved_is_forbidden(string address)
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/24", aux: new() { ["a"] = "10.0.0.9" }));

        var e = Fails(ErrorKind.Forbidden, () => ipam.RequestAddress("n1", false, Ip(address)));

        Assert.Equal("Address already in use", e.Message);
    }

    [Fact]
    public void Preferred_address_twice_is_forbidden_the_second_time()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/24"));
        ipam.RequestAddress("n1", false, Ip("10.0.0.50"));

        Assert.Equal("Address already in use", Fails(ErrorKind.Forbidden, () => ipam.RequestAddress("n1", false, Ip("10.0.0.50"))).Message);
    }

    [Theory]
    [InlineData("10.9.9.9", false)]
    [InlineData("fd00::5", false)]
    [InlineData("10.0.0.5", true)]
    public void Preferred_address_outside_every_pool_of_the_family_is_invalid(string address, bool ipv6)
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/24"));

        var e = Fails(ErrorKind.InvalidParameter, () => ipam.RequestAddress("n1", ipv6, Ip(address)));

        Assert.Equal($"no configured subnet or ip-range contain the IP address {address}", e.Message);
    }

    [Fact]
    public void Preferred_IPv4_mapped_address_is_treated_as_IPv4()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/24"));

        Assert.Equal(Ip("10.0.0.7"), ipam.RequestAddress("n1", false, Ip("::ffff:10.0.0.7")));
        Fails(ErrorKind.Forbidden, () => ipam.RequestAddress("n1", false, Ip("10.0.0.7")));
    }

    [Fact]
    public void Released_address_can_be_requested_again()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/24"));
        var a = ipam.RequestAddress("n1", false, Ip("10.0.0.20"));

        ipam.ReleaseAddress("n1", a);

        Assert.Equal(a, ipam.RequestAddress("n1", false, Ip("10.0.0.20")));
    }

    [Fact]
    public void Releasing_gateway_aux_or_unknown_addresses_changes_nothing()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/24", aux: new() { ["a"] = "10.0.0.9" }));
        var before = ipam.Usage("n1").Single();

        ipam.ReleaseAddress("n1", Ip("10.0.0.1"));
        ipam.ReleaseAddress("n1", Ip("10.0.0.9"));
        ipam.ReleaseAddress("n1", Ip("10.0.0.77"));
        ipam.ReleaseAddress("n1", Ip("192.0.2.1"));
        ipam.ReleaseAddress("unknown", Ip("10.0.0.2"));

        Assert.Equal(before, ipam.Usage("n1").Single());
        Fails(ErrorKind.Forbidden, () => ipam.RequestAddress("n1", false, Ip("10.0.0.1")));
        Fails(ErrorKind.Forbidden, () => ipam.RequestAddress("n1", false, Ip("10.0.0.9")));
    }

    [Fact]
    public void Slash_8_allocates_a_thousand_addresses_without_enumerating_the_subnet()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("big", Config("10.0.0.0/8"));

        var clock = Stopwatch.StartNew();
        var addresses = Enumerable.Range(0, 1000).Select(_ => ipam.RequestAddress("big", false, null)).ToList();
        clock.Stop();

        Assert.Equal(1000, addresses.Distinct().Count());
        Assert.Equal(Ip("10.0.0.2"), addresses[0]);
        Assert.Equal(Ip("10.0.3.233"), addresses[^1]);
        var usage = ipam.Usage("big").Single();
        Assert.Equal(new SubnetUsage("10.0.0.0/8", 1001, (UInt128.One << 24) - 2 - 1001), usage);
    }

    [Fact]
    public void IPv6_slash_64_allocates_from_the_start_and_counts_with_128_bits()
    {
        var ipam = new DefaultIpam(null);
        ipam.RequestPools("v6", [Config("fd00:1::/64")], enableIPv4: false, enableIPv6: true, NoHostPrefixes);

        var addresses = Enumerable.Range(0, 1000).Select(_ => ipam.RequestAddress("v6", true, null)).ToList();

        Assert.Equal(Ip("fd00:1::2"), addresses[0]);
        Assert.Equal(Ip("fd00:1::3e9"), addresses[^1]);
        Assert.Equal(1000, addresses.Distinct().Count());
        // Only the subnet-router anycast address is reserved in IPv6; there is no broadcast.
        Assert.Equal(new SubnetUsage("fd00:1::/64", 1001, (UInt128.One << 64) - 1 - 1001), ipam.Usage("v6").Single());
    }

    [Fact]
    public void IPv6_last_address_is_handed_out()
    {
        var ipam = new DefaultIpam(null);
        ipam.RequestPools("v6", [Config("fd00:2::/126")], enableIPv4: false, enableIPv6: true, NoHostPrefixes);

        Assert.Equal(["fd00:2::2", "fd00:2::3"], AllocateAll(ipam, "v6", ipv6: true));
        Assert.Equal("no available IPv6 addresses on this network's address pools: v6",
            Fails(ErrorKind.Internal, () => ipam.RequestAddress("v6", true, null)).Message);
    }

    [Fact]
    public void Next_pool_of_the_family_is_used_when_the_first_is_full()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/30"), Config("10.0.1.0/30"));

        Assert.Equal(["10.0.0.2", "10.0.1.2"], AllocateAll(ipam, "n1"));
    }

    [Fact]
    public void Family_without_a_pool_has_no_addresses()
    {
        var ipam = new DefaultIpam(null);
        ipam.CreateAuto("n1");

        Assert.Equal("no available IPv6 addresses on this network's address pools: n1",
            Fails(ErrorKind.Internal, () => ipam.RequestAddress("n1", true, null)).Message);
    }

    [Fact]
    public void Unknown_network_is_not_found()
    {
        var ipam = new DefaultIpam(null);

        Fails(ErrorKind.NotFound, () => ipam.RequestAddress("nope", false, null));
        Assert.Empty(ipam.Usage("nope"));
    }

    [Fact]
    public void Usage_counts_gateway_aux_and_endpoints_and_dynamic_room_in_the_range()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/24", ipRange: "10.0.0.0/25", aux: new() { ["in"] = "10.0.0.100", ["out"] = "10.0.0.200" }));
        ipam.RequestAddress("n1", false, null);
        ipam.RequestAddress("n1", false, Ip("10.0.0.150"));

        // Range 10.0.0.0/25 = 128 addresses, minus the network address, the gateway, aux "in" and one endpoint.
        Assert.Equal(new SubnetUsage("10.0.0.0/24", 5, 128 - 4), ipam.Usage("n1").Single());
    }

    [Fact]
    public void Released_pools_free_their_addresses_and_subnet()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/24"));
        ipam.RequestAddress("n1", false, null);

        ipam.ReleasePools("n1");
        ipam.ReleasePools("n1");

        Assert.Empty(ipam.Usage("n1"));
        ipam.Create("n2", Config("10.0.0.0/24"));
        Assert.Equal(Ip("10.0.0.2"), ipam.RequestAddress("n2", false, null));
    }

    [Fact]
    public void Restored_pool_and_addresses_are_not_handed_out_again()
    {
        var ipam = new DefaultIpam(null);
        var pool = new IpamPool("10.0.0.0/29", null, "10.0.0.1", true, false, new Dictionary<string, string> { ["a"] = "10.0.0.2" });

        ipam.RestorePools("n1", [pool]);
        ipam.RestoreAddress("n1", Ip("10.0.0.3"));
        ipam.RestoreAddress("n1", Ip("10.0.0.3"));

        Assert.Equal(["10.0.0.4", "10.0.0.5", "10.0.0.6"], AllocateAll(ipam, "n1"));
        Assert.Equal(new SubnetUsage("10.0.0.0/29", 6, 0), ipam.Usage("n1").Single());
    }

    [Fact]
    public void Restoring_an_address_outside_the_pools_is_invalid()
    {
        var ipam = new DefaultIpam(null);
        ipam.RestorePools("n1", [new IpamPool("10.0.0.0/24", null, "10.0.0.1", true, false, new Dictionary<string, string>())]);

        Fails(ErrorKind.InvalidParameter, () => ipam.RestoreAddress("n1", Ip("10.1.0.3")));
    }

    [Fact]
    public void Concurrent_requests_get_distinct_addresses()
    {
        var ipam = new DefaultIpam(null);
        ipam.Create("n1", Config("10.0.0.0/16"));

        var addresses = new IPAddress[2000];
        Parallel.For(0, addresses.Length, i => addresses[i] = ipam.RequestAddress("n1", false, null));

        Assert.Equal(addresses.Length, addresses.Distinct().Count());
        Assert.Equal((UInt128)2001, ipam.Usage("n1").Single().InUse);
    }
}
