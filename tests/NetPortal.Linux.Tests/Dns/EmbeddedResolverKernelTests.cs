using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using DnsClient;
using NetPortal.Linux.Dns;
using NetPortal.Linux.Tests.Firewall;
using Xunit.Abstractions;

namespace NetPortal.Linux.Tests.Dns;

/// <summary>The embedded resolver on the real kernel: queries from inside a stand-in sandbox namespace.</summary>
public sealed class EmbeddedResolverKernelTests(ITestOutputHelper output)
{
    private static readonly IPAddress C2 = IPAddress.Parse("10.99.0.2");
    private static readonly IPAddress Upstream = IPAddress.Parse("192.0.2.53");

    [IptablesFact]
    public void Local_name_is_answered_from_the_directory_on_port_53()
    {
        using var bed = new DnsTestBed();
        bed.Directory.Names["c2"] = [C2];
        bed.Attach();

        var r = bed.Query("c2", QueryType.A);
        Assert.False(r.HasError, r.ErrorMessage);
        var a = Assert.Single(r.Answers.ARecords());
        Assert.Equal(C2, a.Address);
        Assert.Equal(600, a.InitialTimeToLive);
        Assert.Contains(DnsTestBed.ContainerId, bed.Directory.Askers);

        // The way a container asks: busybox nslookup (`ip netns exec` enters the sandbox's namespace).
        var (code, text, err) = DnsTestBed.Run("ip", "netns", "exec", bed.SandboxName, "busybox", "nslookup", "c2", "127.0.0.11");
        Assert.True(code == 0, text + err);
        Assert.Contains("10.99.0.2", text);
    }

    [IptablesFact]
    public void Unknown_name_goes_to_the_upstream_in_the_managed_namespace()
    {
        using var bed = new DnsTestBed();
        // 127.0.0.1 of the managed namespace: only reachable if the forward leaves from there (as dockerd's host netns).
        var stub = bed.StartUpstream("127.0.0.1", Upstream);
        bed.Directory.UpstreamServers = ["127.0.0.1"];
        bed.Attach();

        var r = bed.Query("example.test", QueryType.A);
        Assert.False(r.HasError, r.ErrorMessage);
        Assert.Equal(Upstream, Assert.Single(r.Answers.ARecords()).Address);
        Assert.Equal(1, stub.Questions);
        Assert.Equal(1, bed.Resolver.Counters.Forwards);

        // Over TCP the forward uses TCP too.
        var t = bed.Query("example.test", QueryType.A, tcp: true);
        Assert.False(t.HasError, t.ErrorMessage);
        Assert.Equal(Upstream, Assert.Single(t.Answers.ARecords()).Address);
    }

    [IptablesFact]
    public void Ptr_and_aaaa_are_answered_locally()
    {
        using var bed = new DnsTestBed();
        var v6 = IPAddress.Parse("fd00:99::2");
        bed.Directory.Names["c2"] = [C2, v6];
        bed.Directory.Reverse[C2] = ["c2.net1"];
        bed.Directory.Reverse[v6] = ["c2.net1"];
        bed.Attach();

        var ptr = bed.Query("2.0.99.10.in-addr.arpa", QueryType.PTR);
        Assert.False(ptr.HasError, ptr.ErrorMessage);
        Assert.Equal("c2.net1.", Assert.Single(ptr.Answers.PtrRecords()).PtrDomainName.Value);

        var ptr6 = bed.Query(v6.GetArpaName(), QueryType.PTR);
        Assert.False(ptr6.HasError, ptr6.ErrorMessage);
        Assert.Equal("c2.net1.", Assert.Single(ptr6.Answers.PtrRecords()).PtrDomainName.Value);

        var aaaa = bed.Query("c2", QueryType.AAAA);
        Assert.False(aaaa.HasError, aaaa.ErrorMessage);
        Assert.Equal(v6, Assert.Single(aaaa.Answers.AaaaRecords()).Address);
    }

    [IptablesFact]
    public void Known_name_without_that_family_is_an_empty_success_not_a_forward()
    {
        using var bed = new DnsTestBed();
        var stub = bed.StartUpstream("127.0.0.1", Upstream);
        bed.Directory.UpstreamServers = ["127.0.0.1"];
        bed.Directory.Names["c2"] = [C2];
        bed.Attach();

        var r = bed.Query("c2", QueryType.AAAA);
        Assert.False(r.HasError, r.ErrorMessage);
        Assert.Empty(r.Answers);
        Assert.Equal(0, stub.Questions);
    }

    [IptablesFact]
    public void Several_answers_come_in_varying_order()
    {
        using var bed = new DnsTestBed();
        bed.Directory.Names["web"] = Enumerable.Range(1, 5).Select(i => IPAddress.Parse($"10.99.0.{i}")).ToList();
        bed.Attach();

        var orders = bed.InSandbox(() =>
        {
            var client = DnsTestBed.Client();
            return Enumerable.Range(0, 20)
                .Select(_ => string.Join(",", client.Query("web", QueryType.A).Answers.ARecords().Select(a => a.Address)))
                .ToHashSet();
        });
        Assert.All(orders, o => Assert.Equal(5, o.Split(',').Length));
        Assert.True(orders.Count > 1, "20 answers all in the same order");
    }

    [IptablesFact]
    public void Tcp_query_is_answered()
    {
        using var bed = new DnsTestBed();
        bed.Directory.Names["c2"] = [C2];
        bed.Attach();

        var r = bed.Query("c2", QueryType.A, tcp: true);
        Assert.False(r.HasError, r.ErrorMessage);
        Assert.Equal(C2, Assert.Single(r.Answers.ARecords()).Address);
    }

    [IptablesFact]
    public void Sandbox_can_bind_its_own_port_53_while_the_resolver_works()
    {
        using var bed = new DnsTestBed();
        bed.Directory.Names["c2"] = [C2];
        bed.Attach();

        using var own = bed.InSandbox(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Any, 53));
            return s;
        });
        var r = bed.Query("c2", QueryType.A);
        Assert.False(r.HasError, r.ErrorMessage);
        Assert.Equal(C2, Assert.Single(r.Answers.ARecords()).Address);
    }

    [IptablesFact]
    public void Malformed_packet_gets_formerr_or_nothing_and_the_next_query_works()
    {
        using var bed = new DnsTestBed();
        bed.Directory.Names["c2"] = [C2];
        bed.Attach();

        foreach (var garbage in new[] { new byte[] { 1 }, new byte[] { 0x12, 0x34, 0x01, 0x00, 0x00, 0x05, 0xff, 0xff }, Enumerable.Repeat((byte)0xff, 300).ToArray() })
        {
            var reply = bed.InSandbox(() =>
            {
                using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                s.Connect(new IPEndPoint(IPAddress.Parse("127.0.0.11"), 53));
                s.Send(garbage);
                s.ReceiveTimeout = 500;
                var buffer = new byte[512];
                try { return buffer[..s.Receive(buffer)]; }
                catch (SocketException) { return null; }
            });
            if (reply is not null)
                Assert.Equal(ARSoft.Tools.Net.Dns.ReturnCode.FormatError, DnsMessage.Parse(reply).ReturnCode);
        }

        var r = bed.Query("c2", QueryType.A);
        Assert.False(r.HasError, r.ErrorMessage);
        Assert.Equal(C2, Assert.Single(r.Answers.ARecords()).Address);
    }

    [IptablesFact]
    public void Refused_upstream_fails_over_to_the_next()
    {
        using var bed = new DnsTestBed();
        var refusing = bed.StartUpstream("127.0.0.2", null, ARSoft.Tools.Net.Dns.ReturnCode.Refused);
        var good = bed.StartUpstream("127.0.0.3", Upstream);
        bed.Directory.UpstreamServers = ["127.0.0.2", "127.0.0.3"];
        bed.Attach();

        var r = bed.Query("example.test", QueryType.A);
        Assert.False(r.HasError, r.ErrorMessage);
        Assert.Equal(Upstream, Assert.Single(r.Answers.ARecords()).Address);
        Assert.Equal(1, refusing.Questions);
        Assert.Equal(1, good.Questions);
    }

    [IptablesFact]
    public void Silent_upstream_fails_over_to_the_next()
    {
        using var bed = new DnsTestBed(new EmbeddedResolverOptions { UpstreamTimeout = TimeSpan.FromMilliseconds(300) });
        bed.StartSilentUpstream("127.0.0.2");
        var good = bed.StartUpstream("127.0.0.3", Upstream);
        bed.Directory.UpstreamServers = ["127.0.0.2", "127.0.0.3"];
        bed.Attach();

        var r = bed.Query("example.test", QueryType.A, timeoutMs: 4000);
        Assert.False(r.HasError, r.ErrorMessage);
        Assert.Equal(Upstream, Assert.Single(r.Answers.ARecords()).Address);
        Assert.Equal(1, good.Questions);
    }

    [IptablesFact]
    public void A_slow_upstream_does_not_hold_up_other_questions()
    {
        // Timeouts far beyond the test's life: the forward is provably still pending when the local answer arrives.
        using var bed = new DnsTestBed(new EmbeddedResolverOptions { UpstreamTimeout = TimeSpan.FromMinutes(1), ForwardBudget = TimeSpan.FromMinutes(1) });
        bed.StartSilentUpstream("127.0.0.2");
        bed.Directory.UpstreamServers = ["127.0.0.2"];
        bed.Directory.Names["c2"] = [C2];
        bed.Attach();

        // "slow.test IN A", id 0xabcd, RD: sent raw from a socket the test keeps, so nobody waits for its answer.
        byte[] question = [0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 4, (byte)'s', (byte)'l', (byte)'o', (byte)'w', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0, 0, 1, 0, 1];
        using var asker = bed.InSandbox(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.SendTo(question, new IPEndPoint(IPAddress.Parse("127.0.0.11"), 53));
            return socket;
        });
        Assert.True(SpinWait.SpinUntil(() => bed.Resolver.Counters.Forwards == 1, TimeSpan.FromSeconds(10)));

        var r = bed.Query("c2", QueryType.A);
        Assert.False(r.HasError, r.ErrorMessage);
        Assert.Equal(C2, Assert.Single(r.Answers.ARecords()).Address);
        Assert.Equal(0, bed.Resolver.Counters.ForwardFailures);
    }

    [IptablesFact]
    public void No_upstream_answer_is_servfail()
    {
        using var bed = new DnsTestBed();
        bed.StartUpstream("127.0.0.2", null, ARSoft.Tools.Net.Dns.ReturnCode.ServerFailure);
        bed.Directory.UpstreamServers = ["127.0.0.2"];
        bed.Attach();

        var r = bed.Query("example.test", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.ServerFailure, r.Header.ResponseCode);
        Assert.Equal(1, bed.Resolver.Counters.ForwardFailures);
    }

    [IptablesFact]
    public void Nat_rules_in_the_sandbox_have_the_reference_shape()
    {
        using var bed = new DnsTestBed();
        bed.Attach();
        var (udp, tcp) = bed.Resolver.PortsOf(bed.Sandbox.Id)!.Value;

        var rules = bed.NatTable().Split('\n').Where(l => l.StartsWith('-') || l.StartsWith(":DOCKER", StringComparison.Ordinal)).ToList();
        // dockerd 20.10's iptables-save -t nat inside a container on a user-defined network, ports substituted.
        Assert.Equal(
        [
            ":DOCKER_OUTPUT - [0:0]",
            ":DOCKER_POSTROUTING - [0:0]",
            "-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT",
            "-A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING",
            $"-A DOCKER_OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:{tcp}",
            $"-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:{udp}",
            $"-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport {tcp} -j SNAT --to-source :53",
            $"-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport {udp} -j SNAT --to-source :53",
        ], rules);
    }

    [IptablesFact]
    public void Attach_twice_is_one_listener_and_detach_silences_it()
    {
        using var bed = new DnsTestBed();
        bed.Directory.Names["c2"] = [C2];
        bed.Attach();
        var ports = bed.Resolver.PortsOf(bed.Sandbox.Id);
        bed.Attach();
        Assert.Equal(ports, bed.Resolver.PortsOf(bed.Sandbox.Id));
        Assert.Equal(1, bed.Resolver.Counters.Sandboxes);
        var sockets = DnsTestBed.Run("ip", "netns", "exec", bed.SandboxName, "ss", "-Hlnu", "src", "127.0.0.11").Out;
        Assert.Single(sockets.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, bed.NatTable().Split('\n').Count(l => l.StartsWith("-A DOCKER_OUTPUT", StringComparison.Ordinal)));

        bed.Resolver.Detach(bed.Sandbox, DnsTestBed.ContainerId);
        Assert.Null(bed.Resolver.PortsOf(bed.Sandbox.Id));
        // The rules still point at the closed ports (the namespace is the sandbox's own): no answer, only a timeout
        // or an ICMP error.
        var silenced = bed.InSandbox(() =>
        {
            try { return DnsTestBed.Client(timeoutMs: 500).Query("c2", QueryType.A).Answers.Count == 0; }
            catch (DnsResponseException) { return true; }
        });
        Assert.True(silenced);

        // Attach again after a detach: a new listener, and the stale ports in the rules are replaced.
        bed.Attach();
        Assert.False(bed.Query("c2", QueryType.A).HasError);
        Assert.Equal(2, bed.NatTable().Split('\n').Count(l => l.StartsWith("-A DOCKER_OUTPUT", StringComparison.Ordinal)));
        Assert.Single(bed.NatTable().Split('\n'), l => l == "-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT");
    }

    [IptablesFact]
    public void Detach_of_a_shared_namespace_removes_the_rules()
    {
        using var bed = new DnsTestBed(ownsNetwork: false);
        bed.Attach();
        Assert.Contains("DOCKER_OUTPUT", bed.NatTable());
        bed.Resolver.Detach(bed.Sandbox, DnsTestBed.ContainerId);
        Assert.DoesNotContain("DOCKER", bed.NatTable());
    }

    [IptablesFact]
    public void Attach_failure_is_counted_not_thrown()
    {
        using var bed = new DnsTestBed();
        bed.Resolver.Attach(bed.Sandbox with { Id = "missing", Key = "/var/run/netns/nptest-dns-does-not-exist" }, DnsTestBed.ContainerId, bed.Directory);
        Assert.Equal(1, bed.Resolver.Counters.AttachFailures);
        Assert.Equal(0, bed.Resolver.Counters.Sandboxes);
    }

    /// <summary>Not an assertion: prints the latency of local-name questions (bounded loop) for the report.</summary>
    [IptablesFact]
    public void Local_query_latency()
    {
        using var bed = new DnsTestBed();
        bed.Directory.Names["c2"] = [C2];
        bed.Attach();
        const int count = 2000;
        var (samples, total) = bed.InSandbox(() =>
        {
            var client = DnsTestBed.Client();
            for (var i = 0; i < 50; i++) client.Query("c2", QueryType.A); // warm up
            var all = new double[count];
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var t = Stopwatch.GetTimestamp();
                client.Query("c2", QueryType.A);
                all[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            }
            return (all, clock.Elapsed);
        });
        Array.Sort(samples);
        output.WriteLine($"local A query over UDP: median {samples[count / 2]:F0} us, p99 {samples[count * 99 / 100]:F0} us, {count / total.TotalSeconds:F0} queries/s sequential");
        Assert.Equal(count + 50, bed.Resolver.Counters.LocalAnswers);
    }
}
