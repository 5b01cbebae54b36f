using System.Net;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Tests.Kernel;

public sealed class RouteNetlinkKernelTests : IDisposable
{
    private readonly ScratchNamespace _ns = new();
    private readonly RouteNetlink _nl;

    public RouteNetlinkKernelTests() => _nl = _ns.Namespace.OpenRouteNetlink();

    public void Dispose()
    {
        _nl.Dispose();
        _ns.Dispose();
    }

    [KernelFact]
    public void CreateBridge_SetMtu_Up_Address_VisibleToIproute2_OnlyInsideNamespace()
    {
        _nl.CreateBridge("nptbr0", 1400);
        _nl.AddAddress("nptbr0", IPAddress.Parse("10.99.0.1"), 24);
        _nl.AddAddress("nptbr0", IPAddress.Parse("fd99::1"), 64);
        _nl.SetUp("nptbr0");

        var link = Ip.Link(_ns.Name, "nptbr0")!.Value;
        Assert.Equal("bridge", link.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal(1400, link.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        var addr = Ip.Addresses(_ns.Name).Single(a => a.GetProperty("ifname").GetString() == "nptbr0");
        var infos = addr.GetProperty("addr_info").EnumerateArray().ToList();
        var v4 = infos.Single(i => i.GetProperty("family").GetString() == "inet");
        Assert.Equal("10.99.0.1", v4.GetProperty("local").GetString());
        Assert.Equal(24, v4.GetProperty("prefixlen").GetInt32());
        Assert.Equal("10.99.0.255", v4.GetProperty("broadcast").GetString());
        Assert.Contains(infos, i => i.GetProperty("family").GetString() == "inet6" && i.GetProperty("local").GetString() == "fd99::1");

        Assert.Null(Ip.Link(null, "nptbr0"));

        _nl.SetMtu("nptbr0", 1300);
        Assert.Equal(1300, Ip.Link(_ns.Name, "nptbr0")!.Value.GetProperty("mtu").GetInt32());
    }

    [KernelFact]
    public void ReviveBridge_TurnsATombstoneBackIntoAFreshBridge_NameGroupMtuAndANewMac()
    {
        _nl.CreateBridge("nptbr1", 1400);
        _nl.AddAddress("nptbr1", IPAddress.Parse("10.98.0.1"), 24);
        _nl.SetUp("nptbr1");
        var before = Ip.Link(_ns.Name, "nptbr1")!.Value;
        _nl.SetDown("nptbr1");
        _nl.DeleteAddress("nptbr1", IPAddress.Parse("10.98.0.1"), 24);
        _nl.SetLinkName("nptbr1", "npdel-0000abcd", 0x4e50);
        Assert.Equal("20048", Ip.Link(_ns.Name, "npdel-0000abcd")!.Value.GetProperty("group").GetString()); // 0x4e50

        _nl.ReviveBridge("npdel-0000abcd", "nptbr2", 0);
        _nl.SetUp("nptbr2");

        Assert.Null(Ip.Link(_ns.Name, "npdel-0000abcd"));
        var after = Ip.Link(_ns.Name, "nptbr2")!.Value;
        Assert.Equal(before.GetProperty("ifindex").GetInt32(), after.GetProperty("ifindex").GetInt32());
        Assert.Equal("default", after.GetProperty("group").GetString());
        Assert.Equal(1500, after.GetProperty("mtu").GetInt32());
        Assert.NotEqual(before.GetProperty("address").GetString(), after.GetProperty("address").GetString());
        Assert.Equal("bridge", after.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Contains("UP", after.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.DoesNotContain(Ip.Addresses(_ns.Name).Single(a => a.GetProperty("ifname").GetString() == "nptbr2")
            .GetProperty("addr_info").EnumerateArray(), i => i.GetProperty("family").GetString() == "inet");
        Assert.Equal(Errno.ENODEV, Assert.Throws<NetlinkException>(() => _nl.ReviveBridge("npdel-0000abcd", "nptbr3", 0)).Errno);
    }

    [KernelFact]
    public void GetLink_And_Dumps_AgreeWithKernel()
    {
        Assert.Null(_nl.GetLink("nope0"));
        Ip.Must("-n", _ns.Name, "link", "add", "nptbr1", "mtu", "1450", "type", "bridge");
        Ip.Must("-n", _ns.Name, "link", "set", "nptbr1", "up");
        Ip.Must("-n", _ns.Name, "addr", "add", "10.98.0.1/16", "dev", "nptbr1");

        var link = _nl.GetLink("nptbr1")!;
        var json = Ip.Link(_ns.Name, "nptbr1")!.Value;
        Assert.Equal(json.GetProperty("ifindex").GetInt32(), link.Index);
        Assert.Equal("bridge", link.Kind);
        Assert.Equal(1450, link.Mtu);
        Assert.True(link.Up);
        Assert.Equal(json.GetProperty("address").GetString(), link.MacAddress);

        var links = _nl.DumpLinks();
        Assert.Contains(links, l => l.Name == "lo" && l.Kind == "");
        Assert.Contains(links, l => l.Name == "nptbr1" && l.Kind == "bridge");

        Assert.Contains(_nl.DumpAddresses(), a => a.LinkIndex == link.Index && a.Address.Equals(IPAddress.Parse("10.98.0.1")) && a.PrefixLength == 16);
        var routes = _nl.DumpRoutes();
        Assert.Contains(routes, r => r.Destination.Equals(IPAddress.Parse("10.98.0.0")) && r.PrefixLength == 16 && r.OutputLinkIndex == link.Index);
        Assert.DoesNotContain(routes, r => r.Destination.Equals(IPAddress.Parse("10.98.0.1")) && r.PrefixLength == 32); // local table

        _nl.DeleteAddress("nptbr1", IPAddress.Parse("10.98.0.1"), 16);
        Assert.DoesNotContain(_nl.DumpAddresses(), a => a.LinkIndex == link.Index && a.Address.Equals(IPAddress.Parse("10.98.0.1")));
    }

    [KernelFact]
    public void Errors_CarryErrno()
    {
        _nl.CreateBridge("nptbr2", 0);
        var e = Assert.Throws<NetlinkException>(() => _nl.CreateBridge("nptbr2", 0));
        Assert.Equal(Errno.EEXIST, e.Errno);
        _nl.AddAddress("nptbr2", IPAddress.Parse("10.97.0.1"), 24);
        Assert.Equal(Errno.EEXIST, Assert.Throws<NetlinkException>(() => _nl.AddAddress("nptbr2", IPAddress.Parse("10.97.0.1"), 24)).Errno);
        _nl.DeleteLink("nptbr2");
        Assert.Null(Ip.Link(_ns.Name, "nptbr2"));
        Assert.Equal(Errno.ENODEV, Assert.Throws<NetlinkException>(() => _nl.DeleteLink("nptbr2")).Errno);
    }

    [KernelFact]
    public void Dump_ManyLinks_SpansSeveralDatagrams()
    {
        for (var i = 0; i < 120; i++) _nl.CreateBridge($"nptm{i}", 0);
        var names = _nl.DumpLinks().Select(l => l.Name).ToHashSet();
        for (var i = 0; i < 120; i++) Assert.Contains($"nptm{i}", names);
        Assert.Equal(Ip.Links(_ns.Name).Count, names.Count);
    }
}
