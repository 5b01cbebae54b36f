using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Containers;
using NetPortal.Core.Daemon;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;
using NetPortal.Core.Ports;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Bridge;
using NetPortal.Linux.Firewall;
using NetPortal.Linux.Namespaces;
using NetPortal.Linux.Ports;
using NetPortal.Linux.Tests.Firewall;
using NetPortal.Linux.Tests.Kernel;
using Xunit.Abstractions;
using static NetPortal.Linux.Tests.Bridge.TestNetworks;

namespace NetPortal.Linux.Tests.Ports;

/// <summary>
/// PortPublisher against the kernel. A managed namespace (nptest-pm-*) holds the bridge, the iptables rules and the
/// published sockets; a "container" namespace (nptest-pc-*) joined to the bridge runs TCP and UDP echo servers.
/// Clients are sockets created on the managed namespace's thread, so all traffic stays in namespaces made here
/// (its loopback and the bridge). Socket timeouts only keep a broken path from hanging the run.
/// </summary>
public sealed class PortPublisherKernelTests : IDisposable
{
    private const string ContainerIp = "10.79.0.2";
    private readonly ITestOutputHelper _out;
    private readonly List<string> _namespaces = [];
    private readonly List<IDisposable> _owned = [];
    private NetNamespace _managed = null!;
    private string _managedName = "";
    private Network _network = null!;
    private Endpoint _endpoint = null!;

    public PortPublisherKernelTests(ITestOutputHelper output) => _out = output;

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        foreach (var ns in _namespaces) Ip.Run("netns", "del", ns);
    }

    /// <summary>Managed namespace with the bridge (its rules in the given mode), a joined container running the echo servers.</summary>
    private PortPublisher Start(bool userlandProxy, TimeSpan? udpIdle = null)
    {
        _managedName = AddNamespace("nptest-pm-");
        Ip.Must("-n", _managedName, "link", "set", "lo", "up");
        _managed = Own(NetNamespace.Open(_managedName));
        var firewall = new IptablesFirewall((file, args, stdin) =>
        {
            var r = _managed.RunProcess(file, [.. args], stdin);
            return new ProcessResult(r.ExitCode, r.Stdout, r.Stderr);
        }, NullLogger<IptablesFirewall>.Instance) { Hairpin = !userlandProxy };
        firewall.Initialize();
        var netlink = Own(_managed.OpenRouteNetlink());
        var driver = Own(new BridgeDriver(netlink, firewall, new DaemonOptions(), NullLogger.Instance));
        _network = Make(NewId(), "10.79.0.0/24", "10.79.0.1");
        driver.Setup(_network);

        var container = AddNamespace("nptest-pc-");
        var sandbox = new SandboxInfo(NewId(), "/var/run/netns/" + container, Path.GetTempPath(), true);
        _endpoint = driver.Join(_network, new Endpoint
        {
            Id = NewId(),
            NetworkId = _network.Id,
            ContainerId = "c",
            InterfaceName = "eth0",
            MacAddress = "02:42:0a:4f:00:02",
            IPv4 = ContainerIp + "/24",
        }, sandbox);
        Own(new EchoServers(container));
        return Own(new PortPublisher(firewall, _managed, userlandProxy, NullLogger<PortPublisher>.Instance, udpIdle));
    }

    private string AddNamespace(string prefix)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..8];
        Ip.Must("netns", "add", name);
        _namespaces.Add(name);
        return name;
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private string Save() => Golden.Normalize(_managed.RunProcess("iptables-save", [], null).Stdout);

    private static PortMapping Tcp(int hostPort, string hostIp = "0.0.0.0") => new("tcp", hostIp, hostPort, ContainerIp, 80);

    private static PortMapping Udp(int hostPort, string hostIp = "0.0.0.0") => new("udp", hostIp, hostPort, ContainerIp, 81);

    [IptablesFact]
    public void With_the_proxy_TCP_and_UDP_from_the_managed_loopback_reach_the_container_and_unpublish_closes_everything()
    {
        var publisher = Start(userlandProxy: true);
        PortMapping[] mappings = [Tcp(18080), Tcp(18080, "::"), Udp(18081)];

        publisher.Publish(_network, _endpoint, mappings);

        Assert.Equal("tcp hello", TcpEcho(IPAddress.Loopback, 18080, "tcp hello"));
        // The [::] twin of an IPv4 container: only the proxy can serve it (no NAT from IPv6 to IPv4).
        Assert.Equal("tcp6 hello", TcpEcho(IPAddress.IPv6Loopback, 18080, "tcp6 hello"));
        Assert.Equal("udp hello", UdpEcho(IPAddress.Loopback, 18081, "udp hello"));
        Assert.Equal("udp again", UdpEcho(IPAddress.Loopback, 18081, "udp again"));
        var save = Save();
        Assert.Contains($"-A DOCKER ! -i {BridgeDriver.BridgeNameOf(_network)} -p tcp -m tcp --dport 18080 -j DNAT --to-destination {ContainerIp}:80", save);
        Assert.Contains($"-A POSTROUTING -s {ContainerIp}/32 -d {ContainerIp}/32 -p udp -m udp --dport 81 -j MASQUERADE", save);
        Assert.Equal(3, publisher.OpenListeners);

        publisher.Unpublish(_network, _endpoint, mappings);

        Assert.Equal(0, publisher.OpenListeners);
        Assert.DoesNotContain("1808", Save());
        Assert.DoesNotContain($"{ContainerIp}/32", Save());
        var refused = Assert.Throws<SocketException>(() => TcpEcho(IPAddress.Loopback, 18080, "x"));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        // The UDP port is free again: binding it in the managed namespace works.
        using var udp = Bind(SocketType.Dgram, 18081);
    }

    [IptablesFact]
    public void Without_the_proxy_hairpin_NAT_serves_the_managed_loopback()
    {
        var publisher = Start(userlandProxy: false);
        PortMapping[] mappings = [Tcp(18080), Udp(18081)];

        publisher.Publish(_network, _endpoint, mappings);

        // The host sockets only hold the ports (they never accept or read): an answer can only come through DNAT.
        Assert.Equal("nat hello", TcpEcho(IPAddress.Loopback, 18080, "nat hello"));
        Assert.Equal("nat udp", UdpEcho(IPAddress.Loopback, 18081, "nat udp"));
        var bridge = BridgeDriver.BridgeNameOf(_network);
        Assert.Equal("1", _managed.ReadSysctl($"net.ipv4.conf.{bridge}.route_localnet"));
        var save = Save();
        Assert.Contains("-A OUTPUT -m addrtype --dst-type LOCAL -j DOCKER\n", save);
        Assert.Contains($"-A DOCKER -p tcp -m tcp --dport 18080 -j DNAT --to-destination {ContainerIp}:80", save);
        Assert.Contains($"-A POSTROUTING -o {bridge} -m addrtype --src-type LOCAL -j MASQUERADE", save);

        // The port is held as dockerd's dummy proxy holds it.
        var taken = Assert.Throws<SocketException>(() => Bind(SocketType.Stream, 18080).Dispose());
        Assert.Equal(SocketError.AddressAlreadyInUse, taken.SocketErrorCode);

        publisher.Unpublish(_network, _endpoint, mappings);
        Assert.DoesNotContain("DNAT", Save());
        Assert.Throws<SocketException>(() => TcpEcho(IPAddress.Loopback, 18080, "x"));
    }

    [IptablesFact]
    public void A_port_taken_in_the_managed_namespace_fails_with_dockerds_message_and_leaves_nothing()
    {
        var publisher = Start(userlandProxy: true);
        var before = Save();
        using var squatter = Bind(SocketType.Stream, 18090);
        squatter.Listen();

        // The UDP proxy opens first and must be closed again by the undo.
        var e = Assert.Throws<NetPortalException>(() => publisher.Publish(_network, _endpoint, [Udp(18091), Tcp(18090)]));

        Assert.Equal("Error starting userland proxy: listen tcp4 0.0.0.0:18090: bind: address already in use", e.Message);
        Assert.Equal(before, Save());
        Assert.Equal(0, publisher.OpenListeners);
        using var udp = Bind(SocketType.Dgram, 18091);
    }

    [IptablesFact]
    public void Without_the_proxy_a_taken_port_fails_without_the_proxy_prefix()
    {
        var publisher = Start(userlandProxy: false);
        using var squatter = Bind(SocketType.Dgram, 18092, "127.0.0.1");

        var e = Assert.Throws<NetPortalException>(() => publisher.Publish(_network, _endpoint, [Udp(18092, "127.0.0.1")]));

        Assert.Equal("listen udp4 127.0.0.1:18092: bind: address already in use", e.Message);
        Assert.DoesNotContain("18092", Save());
    }

    [IptablesFact]
    public void Idle_UDP_flows_are_closed()
    {
        // Long enough for an echo round trip on a loaded CI machine (a flow swept mid-exchange loses the reply, as
        // docker-proxy's would), short enough to see the sweep.
        var publisher = Start(userlandProxy: true, udpIdle: TimeSpan.FromSeconds(2));
        publisher.Publish(_network, _endpoint, [Udp(18093)]);
        Assert.Equal("one", UdpEcho(IPAddress.Loopback, 18093, "one"));

        // Polls for the sweep instead of asserting a duration; the bound keeps a broken sweeper from hanging the run.
        var proxy = typeof(PortPublisher).GetField("_listeners", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        var listeners = (System.Collections.IDictionary)proxy.GetValue(publisher)!;
        var udp = (UserlandProxy)listeners.Values.Cast<object>().Single();
        var deadline = Stopwatch.StartNew();
        while (udp.ActiveFlows > 0 && deadline.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(50);
        Assert.Equal(0, udp.ActiveFlows);
        Assert.Equal("two", UdpEcho(IPAddress.Loopback, 18093, "two"));
    }

    [IptablesFact]
    public void A_datagram_for_a_flow_the_sweeper_just_closed_goes_on_a_fresh_flow_and_the_port_lives_on()
    {
        var publisher = Start(userlandProxy: true);
        publisher.Publish(_network, _endpoint, [Udp(18094)]);
        var proxy = (UserlandProxy)((System.Collections.IDictionary)typeof(PortPublisher)
            .GetField("_listeners", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(publisher)!).Values.Cast<object>().Single();

        // The state the sweeper leaves for an instant: the client's flow is still listed, its socket already closed.
        using var client = _managed.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var flows = (System.Collections.IDictionary)typeof(UserlandProxy)
            .GetField("_udpFlows", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(proxy)!;
        var flowType = typeof(UserlandProxy).GetNestedType("UdpFlow", System.Reflection.BindingFlags.NonPublic)!;
        var closed = _managed.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        closed.Dispose();
        flows[client.LocalEndPoint!] = Activator.CreateInstance(flowType, client.LocalEndPoint!, closed);

        client.ReceiveTimeout = 20000;
        client.SendTo(Encoding.ASCII.GetBytes("one"), new IPEndPoint(IPAddress.Loopback, 18094));
        var buffer = new byte[64];
        Assert.Equal("one", Encoding.ASCII.GetString(buffer, 0, client.Receive(buffer)));
        // And the port still answers others (a closed flow used to end the whole receive loop).
        Assert.Equal("two", UdpEcho(IPAddress.Loopback, 18094, "two"));
    }

    [IptablesFact]
    public void Thousand_ports_report_time_and_memory()
    {
        var publisher = Start(userlandProxy: true);
        var mappings = Enumerable.Range(20000, 1000).Select(p => Tcp(p)).ToList();
        var udpMappings = Enumerable.Range(30000, 1000).Select(p => Udp(p)).ToList();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var rss0 = Rss();
        var heap0 = GC.GetTotalMemory(forceFullCollection: true);
        var sw = Stopwatch.StartNew();
        publisher.Publish(_network, _endpoint, mappings);
        var tcpTime = sw.Elapsed;
        var heap1 = GC.GetTotalMemory(forceFullCollection: true);
        var rss1 = Rss();
        sw.Restart();
        publisher.Publish(_network, _endpoint, udpMappings);
        var udpTime = sw.Elapsed;
        var heap2 = GC.GetTotalMemory(forceFullCollection: true);
        var rss2 = Rss();
        var threads = Process.GetCurrentProcess().Threads.Count;
        Assert.Equal(2000, publisher.OpenListeners);
        Assert.Equal("p20999", TcpEcho(IPAddress.Loopback, 20999, "p20999"));
        Assert.Equal("p30999", UdpEcho(IPAddress.Loopback, 30999, "p30999"));
        sw.Restart();
        publisher.Unpublish(_network, _endpoint, [.. mappings, .. udpMappings]);
        var unpublishTime = sw.Elapsed;
        Assert.Equal(0, publisher.OpenListeners);
        _out.WriteLine($"1000 TCP ports: publish {tcpTime.TotalMilliseconds:F0} ms (one batch), RSS {(rss1 - rss0) / 1024.0:+0.0;-0.0} MiB, managed heap {(heap1 - heap0) / 1048576.0:+0.0;-0.0} MiB");
        _out.WriteLine($"1000 UDP ports: publish {udpTime.TotalMilliseconds:F0} ms (one batch), RSS {(rss2 - rss1) / 1024.0:+0.0;-0.0} MiB, managed heap {(heap2 - heap1) / 1048576.0:+0.0;-0.0} MiB");
        _out.WriteLine($"unpublish 2000: {unpublishTime.TotalMilliseconds:F0} ms; process threads with 2000 ports open: {threads}");
    }

    private static long Rss() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    private Socket Bind(SocketType type, int port, string ip = "0.0.0.0") => _managed.Run(() =>
    {
        var s = new Socket(AddressFamily.InterNetwork, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
        try
        {
            s.Bind(new IPEndPoint(IPAddress.Parse(ip), port));
            return s;
        }
        catch
        {
            s.Dispose();
            throw;
        }
    });

    /// <summary>Connects from the managed namespace, sends, half-closes and reads until the echo server closes.</summary>
    private string TcpEcho(IPAddress address, int port, string text)
    {
        using var s = _managed.Run(() => new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        s.ReceiveTimeout = 20000;
        s.SendTimeout = 20000;
        s.Connect(new IPEndPoint(address, port));
        s.Send(Encoding.ASCII.GetBytes(text));
        s.Shutdown(SocketShutdown.Send);
        var buffer = new byte[4096];
        var all = new MemoryStream();
        for (int n; (n = s.Receive(buffer)) > 0;) all.Write(buffer, 0, n);
        return Encoding.ASCII.GetString(all.ToArray());
    }

    private string UdpEcho(IPAddress address, int port, string text)
    {
        using var s = _managed.Run(() => new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        s.ReceiveTimeout = 20000;
        s.SendTo(Encoding.ASCII.GetBytes(text), new IPEndPoint(address, port));
        var buffer = new byte[4096];
        var n = s.Receive(buffer);
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    /// <summary>TCP echo on port 80 and UDP echo on port 81 inside the container namespace (sockets made on its thread).</summary>
    private sealed class EchoServers : IDisposable
    {
        private readonly NetNamespace _ns;
        private readonly Socket _tcp;
        private readonly Socket _udp;

        public EchoServers(string name)
        {
            _ns = NetNamespace.Open("/var/run/netns/" + name);
            _tcp = _ns.Run(() =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Bind(new IPEndPoint(IPAddress.Any, 80));
                s.Listen();
                return s;
            });
            _udp = _ns.Run(() =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                s.Bind(new IPEndPoint(IPAddress.Any, 81));
                return s;
            });
            _ = TcpLoop();
            _ = UdpLoop();
        }

        public void Dispose()
        {
            _tcp.Dispose();
            _udp.Dispose();
            _ns.Dispose();
        }

        private async Task TcpLoop()
        {
            try
            {
                while (true)
                {
                    var c = await _tcp.AcceptAsync();
                    _ = Task.Run(async () =>
                    {
                        using (c)
                        {
                            var buffer = new byte[4096];
                            for (int n; (n = await c.ReceiveAsync(buffer)) > 0;) await c.SendAsync(buffer.AsMemory(0, n));
                        }
                    });
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task UdpLoop()
        {
            try
            {
                var buffer = new byte[65536];
                while (true)
                {
                    var r = await _udp.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0));
                    await _udp.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), r.RemoteEndPoint);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
