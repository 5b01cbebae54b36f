using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Daemon;
using NetPortal.Core.Networks;
using NetPortal.Linux.Bridge;
using NetPortal.Linux.Namespaces;
using NetPortal.Linux.Netlink;
using NetPortal.Linux.Tests.Fakes;
using static NetPortal.Linux.Tests.Bridge.TestNetworks;

namespace NetPortal.Linux.Tests.Kernel;

public sealed class BridgeDriverKernelTests : IDisposable
{
    private readonly ScratchNamespace _ns = new();
    private readonly RouteNetlink _nl;
    private readonly RecordingFirewall _fw = new();
    private readonly BridgeDriver _driver;

    public BridgeDriverKernelTests()
    {
        _nl = _ns.Namespace.OpenRouteNetlink();
        _driver = new BridgeDriver(_nl, _fw, new DaemonOptions(), NullLogger.Instance);
    }

    public void Dispose()
    {
        _nl.Dispose();
        _ns.Dispose();
    }

    private static Network V4V6(string id) =>
        Make(id, "10.77.0.0/24", "10.77.0.1", new Dictionary<string, string> { ["com.docker.network.driver.mtu"] = "1450" },
            Pool("fd77::/64", "fd77::1"));

    [KernelFact]
    public void Setup_ThenTeardown_VerifiedWithIproute2()
    {
        var n = V4V6(NewId());
        var br = "br-" + n.Id[..12];
        _driver.Setup(n);

        var link = Ip.Link(_ns.Name, br)!.Value;
        Assert.Equal("bridge", link.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal(1450, link.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var addrs = Ip.Addresses(_ns.Name).Single(a => a.GetProperty("ifname").GetString() == br)
            .GetProperty("addr_info").EnumerateArray().Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}").ToList();
        Assert.Contains("10.77.0.1/24", addrs);
        Assert.Contains("fd77::1/64", addrs);
        Assert.Null(Ip.Link(null, br));

        var prefixes = new HostNetworkState(_nl).GetOccupiedPrefixes();
        Assert.Contains(prefixes, p => p.Prefix.ToString() == "10.77.0.0/24" && p.Device == br && p.Kind == "address");
        Assert.Contains(prefixes, p => p.Prefix.ToString() == "fd77::/64" && p.Kind == "address");
        Assert.DoesNotContain(prefixes, p => p.Prefix.ToString().StartsWith("127.") || p.Prefix.ToString().StartsWith("fe80") || p.Prefix.ToString().StartsWith("ff"));

        _driver.Teardown(n);
        Assert.Null(Ip.Link(_ns.Name, br));
        Assert.Equal([$"add {br}", $"remove {br}"], _fw.Calls);
    }

    [KernelFact]
    public void FailingFirewall_LeavesNoBridgeInKernel()
    {
        _fw.FailAdd = true;
        var n = V4V6(NewId());
        Assert.Throws<InvalidOperationException>(() => _driver.Setup(n));
        Assert.Null(Ip.Link(_ns.Name, "br-" + n.Id[..12]));
        Assert.Equal(["lo"], Ip.Links(_ns.Name).Select(l => l.GetProperty("ifname").GetString()));
    }

    [KernelFact]
    public void Restore_And_RemoveOrphans_AgainstKernel()
    {
        var kept = V4V6(NewId());
        var orphanId = NewId();
        var br = "br-" + kept.Id[..12];
        Assert.Equal(4, _driver.Restore(kept).Count); // bridge, two addresses, up
        Assert.Empty(_driver.Restore(kept));
        Ip.Must("-n", _ns.Name, "link", "add", "br-" + orphanId[..12], "type", "bridge");
        Ip.Must("-n", _ns.Name, "link", "add", "usersbr", "type", "bridge");
        Assert.Equal([$"removed orphan bridge br-{orphanId[..12]}"], _driver.RemoveOrphans([kept]));
        var names = Ip.Links(_ns.Name).Select(l => l.GetProperty("ifname").GetString()).ToList();
        Assert.Contains(br, names);
        Assert.Contains("usersbr", names);
        Assert.DoesNotContain("br-" + orphanId[..12], names);
    }

    [KernelFact]
    public void ManagedNamespaceSetup_LoUp_Forwarding_RootUntouched()
    {
        var rootForward = File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim();
        _ns.Namespace.WriteSysctl("net.ipv4.ip_forward", "0");
        var setup = new ManagedNamespaceSetup(_ns.Namespace, _nl, new DaemonOptions { IpForward = true }, NullLogger.Instance);
        Assert.Equal(["set lo up", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"], setup.Apply(enableIPv6Forwarding: true));
        Assert.Empty(setup.Apply(enableIPv6Forwarding: true));
        Assert.Equal("1", Ip.Must("netns", "exec", _ns.Name, "cat", "/proc/sys/net/ipv4/ip_forward").Trim());
        Assert.Contains("UP", Ip.Link(_ns.Name, "lo")!.Value.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(rootForward, File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim());
    }
}
