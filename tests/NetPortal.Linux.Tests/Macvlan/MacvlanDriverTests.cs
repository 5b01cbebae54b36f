using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Containers;
using NetPortal.Core.Errors;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Ipvlan;
using NetPortal.Linux.Macvlan;
using NetPortal.Linux.Tests.Fakes;
using static NetPortal.Linux.Tests.Bridge.TestNetworks;

namespace NetPortal.Linux.Tests.Macvlan;

/// <summary>MacvlanDriver and IpvlanDriver against fakes of the managed namespace and a sandbox's.</summary>
public sealed class MacvlanDriverTests : IDisposable
{
    private readonly FakeRouteNetlink _nl = new();
    private readonly FakeRouteNetlink _sbx = new();
    private readonly string _key = Path.GetTempFileName();
    private readonly DefaultIpam _ipam = new(null);
    private readonly MacvlanDriver _macvlan;
    private readonly IpvlanDriver _ipvlan;
    private readonly SandboxInfo _sandbox;

    public MacvlanDriverTests()
    {
        _nl.NamespaceFiles[_key] = _sbx;
        _nl.AddExistingLink("eth0", "", up: true);
        _macvlan = new MacvlanDriver(_nl, _ipam, NullLogger.Instance) { OpenSandboxNetlink = _ => _sbx };
        _ipvlan = new IpvlanDriver(_nl, NullLogger.Instance) { OpenSandboxNetlink = _ => _sbx };
        _sandbox = new SandboxInfo(new string('a', 64), _key, Path.GetTempPath(), OwnsNetwork: true);
    }

    public void Dispose() => File.Delete(_key);

    private static Network Net(string driver, params (string Key, string Value)[] options) =>
        Make(NewId(), "10.77.0.0/24", "10.77.0.1") with { Driver = driver, Options = options.ToDictionary(o => o.Key, o => o.Value) };

    private static Endpoint Ep() => new()
    {
        Id = new string('e', 64), NetworkId = "n", ContainerId = "c", InterfaceName = "eth0",
        MacAddress = "02:42:0a:4d:00:02", IPv4 = "10.77.0.2/24", IPv6 = "", LinkLocalIPs = ["169.254.9.9"],
    };

    [Theory]
    [InlineData("macvlan_mode", "foo", "requested macvlan mode 'foo' is not valid, 'bridge' mode is the macvlan driver default")]
    [InlineData("parent", "lo", "loopback interface is not a valid macvlan parent link")]
    public void Validate_DockerMessages(string key, string value, string message)
    {
        var e = Assert.Throws<NetPortalException>(() => _macvlan.Validate(Net("macvlan", (key, value)), []));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("ipvlan_mode", "x", "requested ipvlan mode 'x' is not valid, 'l2' mode is the ipvlan driver default")]
    [InlineData("ipvlan_flag", "x", "requested ipvlan flag 'x' is not valid, 'bridge' is the ipvlan driver default")]
    [InlineData("parent", "lo", "loopback interface is not a valid ipvlan parent link")]
    public void Ipvlan_Validate_DockerMessages(string key, string value, string message)
    {
        var e = Assert.Throws<NetPortalException>(() => _ipvlan.Validate(Net("ipvlan", (key, value)), []));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Validate_OneNetworkPerParent_Docker2010Text()
    {
        var first = Net("macvlan", ("parent", "eth0"));
        var e = Assert.Throws<NetPortalException>(() => _macvlan.Validate(Net("macvlan", ("parent", "eth0")), [first]));
        Assert.Equal($"network dm-{first.Id[..12]} is already using parent interface eth0", e.Message);
        Assert.Equal(ErrorKind.Forbidden, e.Kind);
    }

    [Fact]
    public void Setup_VlanParent_CreatedMarkedAndDeletedWithTheNetwork()
    {
        var n = Net("macvlan", ("parent", "eth0.10"));
        _macvlan.Setup(n);
        Assert.Equal(["vlan eth0.10 eth0 id 10", "up eth0.10"], _nl.Calls);
        Assert.Equal(ParentLink.CreatedGroup, _nl.GetLink("eth0.10")!.Group);
        _macvlan.Teardown(n);
        Assert.Null(_nl.GetLink("eth0.10"));
    }

    [Fact]
    public void Setup_VlanParent_UsersOwnVlanIsKept()
    {
        _nl.AddExistingLink("eth0.20", "vlan");
        var n = Net("macvlan", ("parent", "eth0.20"));
        _macvlan.Setup(n);
        _macvlan.Teardown(n);
        Assert.NotNull(_nl.GetLink("eth0.20"));
    }

    [Fact]
    public void Setup_Without8021q_NamesTheModule_LeavesNothing()
    {
        _nl.MissingKinds.Add("vlan");
        var before = _nl.DumpLinks().Select(l => l.Name).ToList();
        var e = Assert.Throws<NetPortalException>(() => _macvlan.Setup(Net("macvlan", ("parent", "eth0.10"))));
        Assert.Equal("failed to create eth0.10 vlan link: operation not supported (this kernel lacks 802.1q VLAN support: the 8021q module)", e.Message);
        Assert.Equal(before, _nl.DumpLinks().Select(l => l.Name).ToList());
    }

    [Theory]
    [InlineData("nosuch0", "invalid subinterface vlan name nosuch0, example formatting is eth0.10")]
    [InlineData("nosuch0.10", "-o parent interface was not found on the host: nosuch0")]
    [InlineData("eth0.5000", "vlan id must be between 1-4094, received: 5000")]
    public void Setup_BadParents(string parent, string message)
    {
        var e = Assert.Throws<NetPortalException>(() => _macvlan.Setup(Net("macvlan", ("parent", parent))));
        Assert.Equal(message, e.Message);
        Assert.Empty(_nl.Calls);
    }

    [Fact]
    public void Setup_NoParentWithoutDummy_Refuses()
    {
        _nl.MissingKinds.Add("dummy");
        var e = Assert.Throws<NetPortalException>(() => _macvlan.Setup(Net("macvlan")));
        Assert.Equal("macvlan without a parent needs the kernel's dummy link type, which this kernel lacks (RTM_NEWLINK kind dummy: operation not supported)", e.Message);
        Assert.Equal(2, _nl.DumpLinks().Count);
    }

    [Fact]
    public void Setup_NoParent_DummyNamedLikeDocker()
    {
        var n = Net("macvlan");
        _macvlan.Setup(n);
        Assert.Equal([$"dummy dm-{n.Id[..12]}", $"up dm-{n.Id[..12]}"], _nl.Calls);
        _macvlan.Teardown(n);
        Assert.Null(_nl.GetLink($"dm-{n.Id[..12]}"));
    }

    [Fact]
    public void HostShim_LastUsableAddressReserved_RemovedWithNetwork()
    {
        var n = Net("macvlan", ("parent", "eth0"), (MacvlanOptions.HostShimKey, "true"));
        _ipam.RestorePools(n.Id, n.Pools);
        _macvlan.Setup(n);
        var shim = MacvlanDriver.ShimName(n);
        Assert.Equal([$"macvlan {shim} eth0 mode 4", $"addr {shim} 10.77.0.254/24", $"up {shim}"], _nl.Calls);
        Assert.Throws<NetPortalException>(() => _ipam.RequestAddress(n.Id, false, IPAddress.Parse("10.77.0.254")));
        _macvlan.Teardown(n);
        Assert.Null(_nl.GetLink(shim));
        Assert.NotNull(_nl.GetLink("eth0"));
    }

    [Fact]
    public void HostShim_AuxAddressWins()
    {
        var n = Net("macvlan", ("parent", "eth0"), (MacvlanOptions.HostShimKey, "true"));
        n = n with { Pools = [n.Pools[0] with { AuxiliaryAddresses = new Dictionary<string, string> { [MacvlanDriver.ShimAuxName] = "10.77.0.200" } }] };
        _ipam.RestorePools(n.Id, n.Pools);
        _macvlan.Setup(n);
        Assert.Contains($"addr {MacvlanDriver.ShimName(n)} 10.77.0.200/24", _nl.Calls);
    }

    [Fact]
    public void Join_BornInSandbox_ConfiguredInDockerOrder_LeaveDeletes()
    {
        var n = Net("macvlan", ("parent", "eth0"), ("macvlan_mode", "private"));
        _macvlan.Setup(n);
        _nl.Calls.Clear();
        var joined = _macvlan.Join(n, Ep(), _sandbox);
        var create = Assert.Single(_nl.Calls).Split(' ');
        Assert.Equal("macvlan", create[0]);
        Assert.Matches("^macvlan[0-9a-f]{7}$", create[1]);
        Assert.Equal(["eth0", "mode", "1", "netns", Path.GetFileName(_key)], create[2..]);
        Assert.Equal([$"rename {create[1]} eth0", "mac eth0 02:42:0a:4d:00:02", "addr eth0 10.77.0.2/24", "addr eth0 169.254.9.9/16", "up eth0"], _sbx.Calls);
        Assert.Equal("", joined.HostInterfaceName);

        _macvlan.Leave(n, joined, _sandbox);
        Assert.Null(_sbx.GetLink("eth0"));
    }

    [Fact]
    public void Join_FailureUndone()
    {
        var n = Net("macvlan", ("parent", "eth0"));
        _sbx.FailWhen = c => c.StartsWith("addr", StringComparison.Ordinal) ? 17 : null;
        Assert.Throws<NetPortalException>(() => _macvlan.Join(n, Ep(), _sandbox));
        Assert.Equal(["lo"], _sbx.DumpLinks().Select(l => l.Name));
    }

    [Fact]
    public void Ipvlan_WithoutKernelSupport_RefusesAtSetup_LeavesNothing()
    {
        _nl.MissingKinds.Add("ipvlan");
        var e = Assert.Throws<NetPortalException>(() => _ipvlan.Setup(Net("ipvlan", ("parent", "eth0"))));
        Assert.Equal("failed to create the ipvlan port: operation not supported (this kernel lacks the ipvlan link type: RTM_NEWLINK kind ipvlan)", e.Message);
        Assert.Equal(["eth0", "lo"], _nl.DumpLinks().Select(l => l.Name).Order());
    }

    [Fact]
    public void Ipvlan_L3_ProbeThenJoinWithDeviceDefaultRoute_NoMac()
    {
        var n = Net("ipvlan", ("parent", "eth0"), ("ipvlan_mode", "l3"), ("ipvlan_flag", "private"));
        _ipvlan.Setup(n);
        Assert.Equal(2, _nl.Calls.Count); // probe create, probe delete, nothing else
        Assert.Matches("^ipvlan ipvlan[0-9a-f]{7} eth0 mode 1 flags 1$", _nl.Calls[0]);
        Assert.Equal(["eth0", "lo"], _nl.DumpLinks().Select(l => l.Name).Order());
        var joined = _ipvlan.Join(n, Ep(), _sandbox);
        Assert.Equal(["addr eth0 10.77.0.2/24", "addr eth0 169.254.9.9/16", "up eth0", "route default dev eth0 ipv4"], _sbx.Calls.Skip(1));
        Assert.Equal("", joined.Gateway);
        Assert.Equal("", joined.MacAddress);
    }
}
