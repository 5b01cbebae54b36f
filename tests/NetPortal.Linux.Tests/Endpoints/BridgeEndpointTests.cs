using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Containers;
using NetPortal.Core.Daemon;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Bridge;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;
using NetPortal.Linux.Tests.Fakes;
using static NetPortal.Linux.Tests.Bridge.TestNetworks;

namespace NetPortal.Linux.Tests.Endpoints;

/// <summary>BridgeDriver.Join/Leave against two fakes: the managed namespace and the sandbox's.</summary>
public sealed class BridgeEndpointTests : IDisposable
{
    private readonly FakeRouteNetlink _nl = new();
    private readonly FakeRouteNetlink _sbx = new();
    private readonly string _key = Path.GetTempFileName(); // stands in for the sandbox's namespace file
    private readonly BridgeDriver _driver;
    private readonly Network _network;
    private readonly string _bridge;
    private readonly SandboxInfo _sandbox;

    public BridgeEndpointTests()
    {
        _nl.NamespaceFiles[_key] = _sbx;
        _driver = new BridgeDriver(_nl, new RecordingFirewall(), new DaemonOptions { Mtu = 1500 }, NullLogger.Instance)
        {
            OpenSandboxNetlink = path => path == _key ? _sbx : throw new InvalidOperationException($"unexpected namespace {path}"),
        };
        _network = Make(NewId(), extraPools: Pool("fd00:2::/64", "fd00:2::1"));
        _bridge = BridgeDriver.BridgeNameOf(_network);
        _driver.Setup(_network);
        _nl.Calls.Clear();
        _sandbox = new SandboxInfo(new string('a', 64), _key, Path.GetTempPath(), OwnsNetwork: true);
    }

    public void Dispose()
    {
        _driver.Dispose();
        File.Delete(_key);
    }

    private static Endpoint Ep(string ipv4 = "172.30.0.2/16", string ipv6 = "", string mac = "02:42:ac:1e:00:02", string name = "eth0") => new()
    {
        Id = new string('e', 64),
        NetworkId = "n",
        ContainerId = "c",
        InterfaceName = name,
        MacAddress = mac,
        IPv4 = ipv4,
        IPv6 = ipv6,
    };

    private IEnumerable<LinkInfo> Veths(FakeRouteNetlink nl) => nl.DumpLinks().Where(l => l.Kind == "veth");

    [Fact]
    public void Join_PlumbsVeth_InDockerOrder()
    {
        var ep = Ep(ipv6: "fd00:2::2/64") with { LinkLocalIPs = ["169.254.7.7", "fe80::7"] };

        var joined = _driver.Join(_network, ep, _sandbox);

        var host = joined.HostInterfaceName;
        Assert.Matches(new Regex("^veth[0-9a-f]{7}$"), host);
        var veth = _nl.Calls[0].Split(' ');
        var peer = veth[2];
        Assert.Matches(new Regex("^veth[0-9a-f]{7}$"), peer);
        Assert.NotEqual(host, peer);
        Assert.Equal([$"veth {host} {peer} mtu 1500 netns {Path.GetFileName(_key)}", $"master {host} {_bridge}", $"up {host}"], _nl.Calls);
        Assert.Equal([$"rename {peer} eth0", "mac eth0 02:42:ac:1e:00:02", "addr eth0 172.30.0.2/16", "addr eth0 fd00:2::2/64 nodad",
            "addr eth0 169.254.7.7/16", "addr eth0 fe80::7/64", "up eth0"], _sbx.Calls);

        var hostLink = _nl.GetLink(host)!;
        Assert.True(hostLink.Up);
        Assert.Equal(_nl.GetLink(_bridge)!.Index, hostLink.MasterIndex);
        Assert.Null(_nl.GetLink(peer));
        var eth0 = _sbx.GetLink("eth0")!;
        Assert.Equal(("veth", 1500, true, "02:42:ac:1e:00:02"), (eth0.Kind, eth0.Mtu, eth0.Up, eth0.MacAddress));
        Assert.Equal(["172.30.0.2/16", "fd00:2::2/64", "169.254.7.7/16", "fe80::7/64"],
            _sbx.Addresses.Where(a => a.LinkIndex == eth0.Index).Select(a => $"{a.Address}/{a.PrefixLength}"));
        Assert.Equal(ep with { HostInterfaceName = host, Mtu = 1500 }, joined);
        Assert.Empty(_sbx.Routes); // the default route is the sandbox runtime's
    }

    [Fact]
    public void Join_UsesNetworkMtu_OnBothEnds()
    {
        var n = Make(NewId(), "10.44.0.0/24", "10.44.0.1", new Dictionary<string, string> { ["com.docker.network.driver.mtu"] = "1400" });
        _driver.Setup(n);
        _nl.Calls.Clear();

        var joined = _driver.Join(n, Ep("10.44.0.2/24", mac: "02:42:0a:2c:00:02", name: "eth1"), _sandbox);

        Assert.Contains(" mtu 1400 ", _nl.Calls[0]);
        Assert.Equal(1400, joined.Mtu);
        Assert.Equal(1400, _sbx.GetLink("eth1")!.Mtu);
        Assert.Equal(1400, _nl.GetLink(joined.HostInterfaceName)!.Mtu);
    }

    [Fact]
    public void Join_WithoutAddressesOrMac_OnlyRenamesAndUp()
    {
        _driver.Join(_network, Ep(ipv4: "", mac: ""), _sandbox);
        Assert.Equal(2, _sbx.Calls.Count);
        Assert.StartsWith("rename ", _sbx.Calls[0]);
        Assert.Equal("up eth0", _sbx.Calls[1]);
    }

    [Fact]
    public void Join_AddressFails_DeletesVeth_BothEndsGone()
    {
        _sbx.FailWhen = c => c.StartsWith("addr eth0 172.") ? Errno.EINVAL : null;

        var e = Assert.Throws<NetPortalException>(() => _driver.Join(_network, Ep(), _sandbox));

        var peer = _nl.Calls[0].Split(' ')[2];
        Assert.Equal(ErrorKind.Internal, e.Kind);
        Assert.Equal($"error setting interface \"{peer}\" IP to 172.30.0.2/16: invalid argument", e.Message);
        Assert.Equal(Errno.EINVAL, Assert.IsType<NetlinkException>(e.InnerException).Errno);
        Assert.StartsWith("delete veth", _nl.Calls[^1]);
        Assert.Empty(Veths(_nl));
        Assert.Empty(Veths(_sbx));
        Assert.Empty(_sbx.Addresses);
    }

    [Theory]
    [InlineData("master ", "adding interface {host} to bridge {bridge} failed: no such device")]
    [InlineData("up veth", "could not set link up for host interface {host}: no such device")]
    public void Join_ManagedSideStepFails_VethDeleted(string failing, string message)
    {
        _nl.FailWhen = c => c.StartsWith(failing) ? Errno.ENODEV : null;

        var e = Assert.Throws<NetPortalException>(() => _driver.Join(_network, Ep(), _sandbox));

        var names = _nl.Calls[0].Split(' ');
        Assert.Equal(message.Replace("{host}", names[1]).Replace("{peer}", names[2]).Replace("{bridge}", _bridge), e.Message);
        Assert.Empty(Veths(_nl));
        Assert.Empty(Veths(_sbx));
    }

    [Fact]
    public void Join_NameTakenInSandbox_Undone()
    {
        _sbx.AddExistingLink("eth0", "dummy");

        var e = Assert.Throws<NetPortalException>(() => _driver.Join(_network, Ep(), _sandbox));

        Assert.EndsWith("to \"eth0\": file exists", e.Message);
        Assert.Empty(Veths(_nl));
        Assert.Empty(Veths(_sbx));
        Assert.NotNull(_sbx.GetLink("eth0"));
    }

    [Fact]
    public void Join_RouteConflictInSandbox_LikeLibnetwork()
    {
        _sbx.Routes.Add(new RouteInfo(AddressFamily.InterNetwork, IPAddress.Parse("172.30.0.0"), 16, 7, null));
        _sbx.Routes.Add(new RouteInfo(AddressFamily.InterNetwork, IPAddress.Any, 0, 7, IPAddress.Parse("172.30.0.1")));

        var e = Assert.Throws<NetPortalException>(() => _driver.Join(_network, Ep(), _sandbox));

        Assert.EndsWith("IP to 172.30.0.2/16: cannot program address 172.30.0.2/16 in sandbox interface because it conflicts with existing route {Ifindex: 7 Dst: 172.30.0.0/16 Gw: <nil>}", e.Message);
        Assert.Empty(Veths(_sbx));
        Assert.Empty(Veths(_nl));
    }

    [Fact]
    public void Join_DefaultRouteOnly_IsNoConflict()
    {
        _sbx.Routes.Add(new RouteInfo(AddressFamily.InterNetwork, IPAddress.Any, 0, 7, IPAddress.Parse("10.0.0.1")));
        _driver.Join(_network, Ep(), _sandbox);
        Assert.Single(Veths(_sbx));
    }

    [Fact]
    public void Join_TakenVethName_IsRetriedWithNewNames()
    {
        var failures = 0;
        _nl.FailWhen = c => c.StartsWith("veth ") && failures++ < 2 ? Errno.EEXIST : null;

        var joined = _driver.Join(_network, Ep(), _sandbox);

        Assert.Equal(3, failures);
        Assert.NotNull(_nl.GetLink(joined.HostInterfaceName));
    }

    [Fact]
    public void Join_ThreeTakenVethNames_FailsLikeDocker()
    {
        _nl.FailWhen = c => c.StartsWith("veth ") ? Errno.EEXIST : null;

        var e = Assert.Throws<NetPortalException>(() => _driver.Join(_network, Ep(), _sandbox));

        Assert.Matches(new Regex(@"^failed to add the host \(veth[0-9a-f]{7}\) <=> sandbox \(veth[0-9a-f]{7}\) pair interfaces: file exists$"), e.Message);
    }

    [Theory]
    [InlineData("172.30.0.2", "", "02:42:ac:1e:00:02", "eth0", "invalid endpoint address 172.30.0.2")]
    [InlineData("fd00::2/64", "", "02:42:ac:1e:00:02", "eth0", "invalid endpoint address fd00::2/64")]
    [InlineData("", "10.0.0.2/24", "02:42:ac:1e:00:02", "eth0", "invalid endpoint address 10.0.0.2/24")]
    [InlineData("172.30.0.2/16", "", "02:42:ac:1e:00", "eth0", "invalid MAC address: 02:42:ac:1e:00")]
    [InlineData("172.30.0.2/16", "", "01:00:5e:00:00:01", "eth0", "invalid MAC address: 01:00:5e:00:00:01")]
    [InlineData("172.30.0.2/16", "", "02:42:ac:1e:00:02", "averyverylongname", "invalid interface name \"averyverylongname\"")]
    [InlineData("172.30.0.2/16", "", "02:42:ac:1e:00:02", "", "invalid interface name \"\"")]
    public void Join_BadEndpoint_RejectedBeforeTheKernel(string ipv4, string ipv6, string mac, string name, string message)
    {
        var e = Assert.Throws<NetPortalException>(() => _driver.Join(_network, Ep(ipv4, ipv6, mac, name), _sandbox));
        Assert.Equal((ErrorKind.InvalidParameter, message), (e.Kind, e.Message));
        Assert.Empty(_nl.Calls);
        Assert.Empty(_sbx.Calls);
    }

    [Fact]
    public void Join_MissingSandboxNamespace_CreatesNothing()
    {
        var gone = _sandbox with { Key = "/nonexistent/netns/sbx" };
        var e = Assert.Throws<NetPortalException>(() => _driver.Join(_network, Ep(), gone));
        Assert.StartsWith("failed to get network namespace \"/nonexistent/netns/sbx\": ", e.Message);
        Assert.Empty(_nl.Calls);
    }

    [Fact]
    public void Leave_DeletesHostEnd_PeerGoesWithIt_SecondLeaveIsFine()
    {
        var joined = _driver.Join(_network, Ep(), _sandbox);
        _nl.Calls.Clear();

        _driver.Leave(_network, joined, _sandbox);
        _driver.Leave(_network, joined, _sandbox);

        Assert.Equal([$"delete {joined.HostInterfaceName}", $"delete {joined.HostInterfaceName}"], _nl.Calls);
        Assert.Empty(Veths(_nl));
        Assert.Empty(Veths(_sbx));
        Assert.Empty(_sbx.Addresses);
    }

    [Fact]
    public void Leave_Failure_IsCollected()
    {
        var joined = _driver.Join(_network, Ep(), _sandbox);
        _nl.FailWhen = c => c.StartsWith("delete veth") ? Errno.EPERM : null;

        var e = Assert.Throws<TeardownFailedException>(() => _driver.Leave(_network, joined, _sandbox));

        Assert.Equal($"failed to delete host interface {joined.HostInterfaceName}: operation not permitted", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void Leave_WithoutHostInterface_DoesNothing()
    {
        _driver.Leave(_network, Ep(), _sandbox);
        Assert.Empty(_nl.Calls);
    }
}
