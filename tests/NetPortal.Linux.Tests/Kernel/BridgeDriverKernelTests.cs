using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Daemon;
using NetPortal.Core.Networks;
using NetPortal.Linux.Bridge;
using NetPortal.Linux.Firewall;
using NetPortal.Linux.Namespaces;
using NetPortal.Linux.Netlink;
using NetPortal.Linux.Tests.Fakes;
using NetPortal.Linux.Tests.Firewall;
using Xunit.Abstractions;
using static NetPortal.Linux.Tests.Bridge.TestNetworks;

namespace NetPortal.Linux.Tests.Kernel;

public sealed class BridgeDriverKernelTests : IDisposable
{
    private readonly ScratchNamespace _ns = new();
    private readonly RouteNetlink _nl;
    private readonly RouteNetlink _reaperNl;
    private readonly BridgeReaper _reaper;
    private readonly RecordingFirewall _fw = new();
    private readonly BridgeDriver _driver;
    private readonly ITestOutputHelper _out;

    public BridgeDriverKernelTests(ITestOutputHelper output)
    {
        _out = output;
        _nl = _ns.Namespace.OpenRouteNetlink();
        // As the daemon should wire it: the reaper's group deletions (40-150 ms) do not hold the request path's socket lock.
        _reaperNl = _ns.Namespace.OpenRouteNetlink();
        _reaper = new BridgeReaper(_reaperNl, NullLogger.Instance);
        _driver = new BridgeDriver(_nl, _fw, new DaemonOptions(), NullLogger.Instance, _reaper);
    }

    public void Dispose()
    {
        _driver.Dispose();
        _reaper.Dispose();
        _reaperNl.Dispose();
        _nl.Dispose();
        _ns.Dispose();
    }

    private List<string> LinkNames() => Ip.Links(_ns.Name).Select(l => l.GetProperty("ifname").GetString()!).ToList();

    private List<string> AddressesIn(string prefix) => Ip.Addresses(_ns.Name)
        .SelectMany(a => a.GetProperty("addr_info").EnumerateArray().Select(i => i.GetProperty("local").GetString()!))
        .Where(a => a.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    [KernelFact]
    public void Teardown_FreesNameAndGatewayAtOnce_AndFlushLeavesNoTombstones()
    {
        var opts = new Dictionary<string, string> { ["com.docker.network.bridge.name"] = "npkbr0" };
        var first = Make(NewId(), "10.77.0.0/24", "10.77.0.1", opts, Pool("fd77::/64", "fd77::1"));
        _driver.Setup(first);

        var started = Stopwatch.GetTimestamp();
        _driver.Teardown(first);
        var teardown = Stopwatch.GetElapsedTime(started);

        Assert.Null(Ip.Link(_ns.Name, "npkbr0"));
        Assert.Empty(AddressesIn("10.77.0."));
        Assert.Empty(AddressesIn("fd77:"));
        Assert.DoesNotContain(new HostNetworkState(_nl).GetOccupiedPrefixes(), p => p.Prefix.ToString() is "10.77.0.0/24" or "fd77::/64");

        var second = Make(NewId(), "10.77.0.0/24", "10.77.0.1", opts, Pool("fd77::/64", "fd77::1"));
        started = Stopwatch.GetTimestamp();
        _driver.Setup(second);
        var setup = Stopwatch.GetElapsedTime(started);
        Assert.Contains("UP", Ip.Link(_ns.Name, "npkbr0")!.Value.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["10.77.0.1"], AddressesIn("10.77.0."));

        started = Stopwatch.GetTimestamp();
        _driver.Teardown(second);
        var teardown2 = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        _reaper.Flush();
        var flush = Stopwatch.GetElapsedTime(started);

        Assert.Equal(["lo"], LinkNames());
        Assert.Null(_reaper.LastError);
        _out.WriteLine($"teardown {teardown.TotalMilliseconds:F1} ms, setup again at once {setup.TotalMilliseconds:F1} ms, " +
            $"second teardown {teardown2.TotalMilliseconds:F1} ms, flush of the reaper {flush.TotalMilliseconds:F1} ms");
    }

    [KernelFact]
    public void Timing_RetireVersusDelete_AndOneGroupDeletionVersusOneByOne()
    {
        const int count = 8;
        void Make(string name)
        {
            _nl.CreateBridge(name, 0);
            _nl.AddAddress(name, IPAddress.Parse("10.78.0.1"), 24);
            _nl.SetUp(name);
        }

        var sync = new List<double>();
        var retire = new List<double>();
        for (var i = 0; i < count; i++)
        {
            Make("npsync");
            var t = Stopwatch.GetTimestamp();
            _nl.DeleteLink("npsync");
            sync.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);

            var n = NetPortal.Linux.Tests.Bridge.TestNetworks.Make(NewId(), "10.79.0.0/24", "10.79.0.1");
            _driver.Setup(n);
            t = Stopwatch.GetTimestamp();
            _driver.Teardown(n);
            retire.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            _reaper.Flush();
        }

        for (var i = 0; i < count; i++)
        {
            Make($"npone{i}");
        }

        var oneByOne = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            _nl.DeleteLink($"npone{i}");
        }

        var oneByOneMs = Stopwatch.GetElapsedTime(oneByOne).TotalMilliseconds;
        for (var i = 0; i < count; i++)
        {
            Make($"npgrp{i}");
            _nl.SetDown($"npgrp{i}");
            _nl.SetLinkName($"npgrp{i}", BridgeReaper.NewTombstoneName(), BridgeReaper.TombstoneGroup);
        }

        var group = Stopwatch.GetTimestamp();
        _nl.DeleteLinkGroup(BridgeReaper.TombstoneGroup);
        var groupMs = Stopwatch.GetElapsedTime(group).TotalMilliseconds;

        Assert.Equal(["lo"], LinkNames());
        _out.WriteLine($"one bridge: RTM_DELLINK median {Median(sync):F1} ms, retire (Teardown) median {Median(retire):F1} ms");
        _out.WriteLine($"{count} bridges: one by one {oneByOneMs:F1} ms, one group deletion {groupMs:F1} ms");
    }

    [IptablesFact]
    public void Eight_clients_looping_create_remove_with_real_iptables()
    {
        const int clients = 8, loops = 6;
        using var fwNs = new FirewallNamespace();
        var firewall = new IptablesFirewall(fwNs.Run, NullLogger<IptablesFirewall>.Instance);
        firewall.Initialize();
        var driver = new BridgeDriver(_nl, firewall, new DaemonOptions(), NullLogger.Instance, _reaper);
        var errors = new List<Exception>();
        var removes = new List<double>();
        using var start = new Barrier(clients);
        var threads = Enumerable.Range(0, clients).Select(c => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < loops; i++)
            {
                try
                {
                    var n = NetPortal.Linux.Tests.Bridge.TestNetworks.Make(NewId(), $"10.{100 + c}.{i}.0/24", $"10.{100 + c}.{i}.1");
                    driver.Setup(n);
                    var t = Stopwatch.GetTimestamp();
                    driver.Teardown(n);
                    lock (removes) removes.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
                catch (Exception e)
                {
                    lock (errors) errors.Add(e);
                }
            }
        })).ToList();

        var started = Stopwatch.GetTimestamp();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var elapsed = Stopwatch.GetElapsedTime(started);
        _reaper.Flush();
        var drained = Stopwatch.GetElapsedTime(started);

        Assert.Empty(errors);
        Assert.Equal(["lo"], LinkNames());
        Assert.DoesNotContain("-i br-", fwNs.Save());
        var ops = clients * loops * 2;
        _out.WriteLine($"{clients} clients x {loops} x (create; remove): {ops / elapsed.TotalSeconds:F0} ops/s ({elapsed.TotalMilliseconds:F0} ms, " +
            $"reaper drained at {drained.TotalMilliseconds:F0} ms in {_reaper.Rounds} rounds); remove median {Median(removes):F1} ms, max {removes.Max():F1} ms; " +
            $"{fwNs.Runs.Count(r => r.EndsWith("-restore", StringComparison.Ordinal))} restores for {ops} firewall calls");
    }

    [KernelFact]
    public void RemoveOrphans_DeletesLeftoverTombstones()
    {
        Ip.Must("-n", _ns.Name, "link", "add", "npdel-0000abcd", "group", "20048", "type", "bridge");
        Ip.Must("-n", _ns.Name, "link", "add", "npdel-0000beef", "type", "bridge");
        Ip.Must("-n", _ns.Name, "link", "add", "usersbr", "type", "bridge");

        var lines = _driver.RemoveOrphans([]);

        Assert.Equal(["removed leftover tombstone bridge npdel-0000abcd", "removed leftover tombstone bridge npdel-0000beef"], lines);
        Assert.Equal(["lo", "usersbr"], LinkNames());
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

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
