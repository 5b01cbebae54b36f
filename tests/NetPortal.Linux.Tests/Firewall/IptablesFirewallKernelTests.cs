using System.Diagnostics;
using NetPortal.Linux.Firewall;
using NetPortal.Linux.Tests.Fakes;
using Xunit.Abstractions;
using static NetPortal.Linux.Tests.Firewall.FirewallScenarios;

namespace NetPortal.Linux.Tests.Firewall;

/// <summary>
/// The real iptables in a fresh namespace per test; assertions read the kernel back with iptables-save.
/// No traffic is sent. Every test runs twice: changes written by iptables-restore only, and (the daemon's
/// default) over nf_tables netlink by rule handle with iptables-restore for the rest.
/// </summary>
public sealed class IptablesFirewallKernelTests(ITestOutputHelper output) : IptablesFirewallKernelTestsBase(output, byNetlink: false);

/// <inheritdoc cref="IptablesFirewallKernelTests"/>
public sealed class IptablesFirewallNetlinkKernelTests(ITestOutputHelper output) : IptablesFirewallKernelTestsBase(output, byNetlink: true);

public abstract class IptablesFirewallKernelTestsBase : IDisposable
{
    private const string UserRule = "-A DOCKER-USER -s 10.9.9.9/32 -j DROP";

    private readonly FirewallNamespace _ns = new();
    private readonly IptablesFirewall _firewall;
    private readonly ITestOutputHelper _out;

    private readonly bool _byNetlink;
    private readonly ListLogger _log = new();

    protected IptablesFirewallKernelTestsBase(ITestOutputHelper output, bool byNetlink)
    {
        _out = output;
        _byNetlink = byNetlink;
        _firewall = new IptablesFirewall(_ns.Run, new TypedListLogger<IptablesFirewall>(_log))
        {
            NetlinkNamespacePath = byNetlink ? $"/var/run/netns/{_ns.Name}" : null,
        };
    }

    public void Dispose()
    {
        _firewall.Dispose();
        _ns.Dispose();
        GC.SuppressFinalize(this);
    }

    [IptablesFact]
    public void Kernel_matches_dockerd_after_each_step()
    {
        _firewall.Initialize();
        foreach (var (step, network, golden) in V4)
        {
            Apply(_firewall, step, network);
            if (golden != "")
            {
                AssertKernel(golden + ".v4.golden", "iptables-save");
            }
        }

        // Nothing refused and replanned: e.g. a rule for a built-in chain iptables-nft has not created yet goes to
        // iptables-restore up front instead of failing over netlink first.
        Assert.DoesNotContain(_log.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal));
        Assert.True(!_byNetlink || _firewall.NetlinkCommits > 0, "no change went over netlink");
    }

    [IptablesFact]
    public void Kernel_has_the_same_rules_in_ip6tables_for_dual_stack_networks()
    {
        _firewall.Initialize();
        Assert.Equal("", _ns.Save("ip6tables-save").Trim());

        foreach (var (step, network, golden) in Dual6)
        {
            Apply(_firewall, step, network);
            if (golden != "")
            {
                AssertKernel(golden + ".v4.golden", "iptables-save");
                AssertKernel(golden + ".v6.golden", "ip6tables-save");
            }
        }

        _firewall.RemoveNetwork(DualNoIccNoMasquerade);
        _firewall.RemoveNetwork(DualInternal);
        _firewall.RemoveNetwork(Dual);
        Assert.DoesNotContain("br-0000000000", _ns.Save("ip6tables-save"));
    }

    [IptablesFact]
    public void User_rules_in_DOCKER_USER_survive_everything_and_its_jump_stays_first()
    {
        _firewall.Initialize();
        _ns.Iptables("iptables", "-A", "DOCKER-USER", "-s", "10.9.9.9", "-j", "DROP");

        _firewall.AddNetwork(Docker0);
        AssertUserRuleAndJumpFirst();
        _firewall.AddNetwork(MyBridge);
        AssertUserRuleAndJumpFirst();
        _firewall.RemoveNetwork(MyBridge);
        AssertUserRuleAndJumpFirst();

        // A daemon restart: Initialize then Reconcile.
        _firewall.Initialize();
        _firewall.Reconcile([Docker0, Internal]);
        AssertUserRuleAndJumpFirst();
        _firewall.Initialize();
        Assert.Empty(_firewall.Reconcile([Docker0, Internal]));
        AssertUserRuleAndJumpFirst();
    }

    [IptablesFact]
    public void Ip6tables_DOCKER_USER_rules_survive_too()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(Dual);
        _ns.Iptables("ip6tables", "-A", "DOCKER-USER", "-s", "fd00:9::9", "-j", "DROP");
        _ns.Iptables("ip6tables", "-I", "FORWARD", "-s", "fd00:8::8", "-j", "ACCEPT");

        _firewall.Initialize();
        _firewall.Reconcile([Docker0]);

        var v6 = _ns.Save("ip6tables-save").Split('\n');
        Assert.Contains("-A DOCKER-USER -s fd00:9::9/128 -j DROP", v6);
        Assert.Equal("-A FORWARD -j DOCKER-USER", v6.First(l => l.StartsWith("-A FORWARD ", StringComparison.Ordinal)));
        Assert.DoesNotContain(v6, l => l.Contains("br-000000000011", StringComparison.Ordinal));
    }

    [IptablesFact]
    public void Initialize_moves_the_DOCKER_USER_jump_back_above_a_rule_inserted_before_it()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(Docker0);
        _ns.Iptables("iptables", "-I", "FORWARD", "-s", "10.8.8.8", "-j", "ACCEPT");

        _firewall.Initialize();

        var forward = Lines("-A FORWARD ");
        Assert.Equal("-A FORWARD -j DOCKER-USER", forward[0]);
        Assert.Equal("-A FORWARD -s 10.8.8.8/32 -j ACCEPT", forward[1]);
        Assert.Single(forward, l => l == "-A FORWARD -j DOCKER-USER");
    }

    [IptablesFact]
    public void Initialize_on_an_existing_ruleset_changes_nothing()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(Docker0);
        _ns.Iptables("iptables", "-A", "DOCKER-USER", "-s", "10.9.9.9", "-j", "DROP");
        var before = _ns.Save();
        _ns.Runs.Clear();

        _firewall.Initialize();

        Assert.Equal(before, _ns.Save());
        Assert.DoesNotContain("iptables-restore", _ns.Runs);
    }

    [IptablesFact]
    public void Add_then_remove_leaves_no_rule_of_the_network()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(MyBridge);
        Assert.Equal(8, Lines("br-000000000001").Length);

        _firewall.RemoveNetwork(MyBridge);

        Assert.Empty(Lines("br-000000000001"));
    }

    [IptablesFact]
    public void Remove_tolerates_rules_deleted_behind_its_back()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(MyBridge);
        _ns.Iptables("iptables", "-D", "FORWARD", "-o", "br-000000000001", "-j", "DOCKER");
        _ns.Iptables("iptables", "-t", "nat", "-D", "DOCKER", "-i", "br-000000000001", "-j", "RETURN");

        _firewall.RemoveNetwork(MyBridge);
        _firewall.RemoveNetwork(MyBridge);

        Assert.Empty(Lines("br-000000000001"));
    }

    [IptablesFact]
    public void Reconcile_adds_missing_removes_stale_and_is_idempotent()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(Docker0);
        _firewall.AddNetwork(MyBridge);
        _firewall.AddNetwork(NoIcc);
        _ns.Iptables("iptables", "-D", "FORWARD", "-o", "docker0", "-j", "DOCKER");

        var changes = _firewall.Reconcile([Docker0, NoIcc, Internal]);

        // Below the two jumps that head FORWARD (-I FORWARD 3), where dockerd's insert-then-move-the-jumps ends up too.
        Assert.Contains(changes, c => c.Contains("-I FORWARD 3 -o docker0 -j DOCKER", StringComparison.Ordinal));
        Assert.Contains(changes, c => c.Contains("-D FORWARD -o br-000000000001 -j DOCKER", StringComparison.Ordinal));
        Assert.Contains(changes, c => c.Contains("br-000000000002", StringComparison.Ordinal));
        Assert.Empty(Lines("br-000000000001"));
        Assert.Contains("-A FORWARD -o docker0 -j DOCKER", Lines("docker0"));
        Assert.Equal(3, Lines("br-000000000002").Length);
        Assert.Equal(8, Lines("br-000000000003").Length);
        Assert.Empty(_firewall.Reconcile([Docker0, NoIcc, Internal]));
    }

    [IptablesFact]
    public void Adding_a_network_takes_one_process_however_many_rules_exist()
    {
        _firewall.Initialize();
        for (var i = 0; i < 20; i++)
        {
            _firewall.AddNetwork(MyBridge with { BridgeName = $"br-{i:x12}", SubnetsV4 = [$"10.50.{i}.0/24"] });
        }

        _ns.Runs.Clear();
        var commits = _firewall.NetlinkCommits;
        _firewall.AddNetwork(Docker0);

        // By netlink: no process at all, one nf_tables transaction.
        Assert.Equal(_byNetlink ? [] : ["iptables-restore"], _ns.Runs);
        Assert.Equal(_byNetlink ? commits + 1 : 0, _firewall.NetlinkCommits);
        Assert.Equal(21 * 4, Lines("-A FORWARD -").Count(l => l.Contains("-o ", StringComparison.Ordinal) || l.Contains("-i ", StringComparison.Ordinal)));
    }

    [IptablesFact]
    public void Eight_concurrent_adds_and_removes_share_restores_and_end_like_sequential_ones()
    {
        _firewall.Initialize();
        var networks = Enumerable.Range(0, 8).Select(i => IptablesGroupCommitTests.Network(i)).ToList();
        var empty = _ns.Save();

        var sequential = Stopwatch.StartNew();
        networks.ForEach(_firewall.AddNetwork);
        var sequentialAdd = sequential.Elapsed;
        var afterSequentialAdd = Sorted(_ns.Save());
        networks.ForEach(_firewall.RemoveNetwork);
        var sequentialTotal = sequential.Elapsed;
        Assert.Equal(empty, _ns.Save());

        var restoresBefore = _ns.Runs.Count;
        var concurrent = Stopwatch.StartNew();
        Concurrently(networks, _firewall.AddNetwork);
        var concurrentAdd = concurrent.Elapsed;
        Assert.Equal(afterSequentialAdd, Sorted(_ns.Save()));
        Concurrently(networks, _firewall.RemoveNetwork);
        var concurrentTotal = concurrent.Elapsed;
        var restores = _ns.Runs.Count - restoresBefore;

        Assert.Equal(empty, _ns.Save());
        Assert.InRange(restores, _byNetlink ? 0 : 1, 16);
        _out.WriteLine($"8 adds + 8 removes: sequential {sequentialAdd.TotalMilliseconds:F0} + {(sequentialTotal - sequentialAdd).TotalMilliseconds:F0} ms (16 restores), " +
            $"8 threads {concurrentAdd.TotalMilliseconds:F0} + {(concurrentTotal - concurrentAdd).TotalMilliseconds:F0} ms ({restores} restores)");
    }

    private static void Concurrently<T>(IReadOnlyList<T> items, Action<T> call)
    {
        using var start = new Barrier(items.Count);
        var errors = new List<Exception>();
        var threads = items.Select(item => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                call(item);
            }
            catch (Exception e)
            {
                lock (errors)
                {
                    errors.Add(e);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
    }

    private static List<string> Sorted(string save) => [.. save.Split('\n').Order(StringComparer.Ordinal)];

    private void AssertKernel(string golden, string save) =>
        Assert.Equal(Golden.WithoutBuiltinPolicies(Golden.Read(golden)), Golden.WithoutBuiltinPolicies(_ns.Save(save)));

    private void AssertUserRuleAndJumpFirst()
    {
        Assert.Contains(UserRule, Lines("DOCKER-USER"));
        Assert.Equal("-A FORWARD -j DOCKER-USER", Lines("-A FORWARD ")[0]);
    }

    private string[] Lines(string containing) =>
        _ns.Save().Split('\n').Where(l => l.Contains(containing, StringComparison.Ordinal)).ToArray();
}
