using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;
using NetPortal.Linux.Firewall;

namespace NetPortal.Linux.Tests.Firewall;

/// <summary>Concurrent calls share restores; a faulty change fails only its own caller.</summary>
public sealed class IptablesGroupCommitTests
{
    private readonly FakeIptables _fake = new();
    private readonly Lock _runLock = new();
    private readonly List<string> _restores = [];

    /// <summary>Runs before each restore (outside the fake), e.g. to make it slow or hold it.</summary>
    private Action<string> _beforeRestore = _ => { };

    private Func<string, bool> _refuse = _ => false;

    private readonly IptablesFirewall _firewall;

    public IptablesGroupCommitTests() => _firewall = new IptablesFirewall(Run, NullLogger<IptablesFirewall>.Instance);

    internal static NetworkFirewallSpec Network(int i, bool dual = false) => new(
        $"net{i}", $"br-0000000001{i:x2}", [$"10.50.{i}.0/24"], dual ? [$"fd00:50:{i:x}::/64"] : [], false, true, true, "0.0.0.0");

    [Fact]
    public void Eight_threads_adding_at_once_end_with_every_network_in_fewer_restores()
    {
        _firewall.Initialize();
        var networks = Enumerable.Range(0, 8).Select(i => Network(i, dual: i % 2 == 0)).ToList();
        _beforeRestore = _ => Thread.Sleep(30);
        _restores.Clear();

        RunConcurrently(networks, _firewall.AddNetwork);

        Assert.True(_restores.Count < 12, $"{_restores.Count} restores for 8 v4 + 4 v6 changes");
        AssertSameRules(Sequential(f => networks.ForEach(f.AddNetwork)));
    }

    [Fact]
    public void Calls_queued_behind_a_running_restore_go_in_one_restore_in_their_order()
    {
        _firewall.Initialize();
        _firewall.AddNetwork(Network(20));
        _firewall.AddNetwork(Network(21));
        var first = true;
        _beforeRestore = _ =>
        {
            if (!first)
            {
                return;
            }

            first = false;
            // Hold the first restore until the other seven callers are queued behind it.
            SpinWait.SpinUntil(() => _firewall.Pending == 7, TimeSpan.FromSeconds(10));
        };
        _restores.Clear();

        var calls = new List<(Action<NetworkFirewallSpec> Call, NetworkFirewallSpec Network)>
        {
            (_firewall.AddNetwork, Network(0)),
            (_firewall.RemoveNetwork, Network(20)),
            (_firewall.AddNetwork, Network(1)),
            (_firewall.AddNetwork, Network(2)),
            (_firewall.RemoveNetwork, Network(21)),
            (_firewall.AddNetwork, Network(3)),
            (_firewall.AddNetwork, Network(4)),
            (_firewall.AddNetwork, Network(5)),
        };
        LeadThenQueue(calls, c => c.Call(c.Network));

        Assert.Equal(["iptables-restore", "iptables-restore"], _restores);
        Assert.Equal(1, _firewall.SharedRestores);
        Assert.Equal(0, _firewall.Pending);
        AssertSameRules(Sequential(f =>
        {
            foreach (var i in new[] { 0, 1, 2, 3, 4, 5 })
            {
                f.AddNetwork(Network(i));
            }
        }));
    }

    [Fact]
    public void A_faulty_change_among_several_fails_only_its_own_caller()
    {
        _firewall.Initialize();
        var good = Enumerable.Range(0, 3).Select(i => Network(i)).ToList();
        var faulty = Network(9) with { BridgeName = "br-faulty" };
        var first = true;
        _beforeRestore = _ =>
        {
            if (first)
            {
                first = false;
                SpinWait.SpinUntil(() => _firewall.Pending == 3, TimeSpan.FromSeconds(10));
            }
        };
        _refuse = input => input.Contains("br-faulty", StringComparison.Ordinal);
        _restores.Clear();

        var errors = LeadThenQueue([good[0], good[1], faulty, good[2]], _firewall.AddNetwork);

        // good[0] alone; the shared restore of the other three is refused; then one by one: two good ones, and
        // the faulty one twice (planned again from a fresh read, as a lone call would be).
        Assert.Equal(6, _restores.Count);
        Assert.Equal(0, _firewall.SharedRestores);
        var error = Assert.Single(errors);
        Assert.Equal("br-faulty", error.Network.BridgeName);
        Assert.Equal(ErrorKind.Internal, Assert.IsType<NetPortalException>(error.Error).Kind);
        Assert.DoesNotContain("br-faulty", _fake.Save());
        AssertSameRules(Sequential(f => good.ForEach(f.AddNetwork)));

        // After the fallback the model is consistent again: later calls still batch and succeed.
        _refuse = _ => false;
        _firewall.RemoveNetwork(good[0]);
        Assert.DoesNotContain(good[0].BridgeName, _fake.Save());
    }

    [Fact]
    public void A_lone_call_still_runs_exactly_as_before()
    {
        _firewall.Initialize();
        _restores.Clear();

        _firewall.AddNetwork(Network(1, dual: true));

        Assert.Equal(["iptables-restore", "ip6tables-restore"], _restores);
        Assert.Equal(0, _firewall.SharedRestores);
    }

    /// <summary>items[0] starts first and is held in its restore by the test's hook; the rest then queue behind it at once.</summary>
    private List<(T Network, Exception Error)> LeadThenQueue<T>(IReadOnlyList<T> items, Action<T> call)
    {
        Exception? leaderError = null;
        var leader = new Thread(() =>
        {
            try
            {
                call(items[0]);
            }
            catch (Exception e)
            {
                leaderError = e;
            }
        });
        var before = _restores.Count;
        leader.Start();
        Assert.True(SpinWait.SpinUntil(() => { lock (_runLock) return _restores.Count > before; }, TimeSpan.FromSeconds(10)));
        var errors = RunConcurrently(items.Skip(1).ToList(), call);
        leader.Join();
        if (leaderError is not null)
        {
            errors.Insert(0, (items[0], leaderError));
        }

        return errors;
    }

    private static List<(T Network, Exception Error)> RunConcurrently<T>(IReadOnlyList<T> items, Action<T> call)
    {
        var errors = new List<(T, Exception)>();
        using var start = new Barrier(items.Count);
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
                    errors.Add((item, e));
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return errors;
    }

    private static FakeIptables Sequential(Action<IptablesFirewall> calls)
    {
        var fake = new FakeIptables();
        var firewall = new IptablesFirewall(fake.Run, NullLogger<IptablesFirewall>.Instance);
        firewall.Initialize();
        calls(firewall);
        return fake;
    }

    /// <summary>The same rules in each chain (as multisets: concurrent callers may insert in another order).</summary>
    private void AssertSameRules(FakeIptables expected)
    {
        foreach (var family in new[] { "iptables", "ip6tables" })
        {
            Assert.Equal(Sorted(expected.Families[family]), Sorted(_fake.Families[family]));
        }
    }

    private static List<string> Sorted(IptablesRuleset set) => set.AllRules().Select(r => r.ToString()).Order(StringComparer.Ordinal).ToList();

    private ProcessResult Run(string file, IReadOnlyList<string> args, string? stdin)
    {
        if (file.EndsWith("-restore", StringComparison.Ordinal))
        {
            lock (_runLock)
            {
                _restores.Add(file);
            }

            _beforeRestore(file);
            if (_refuse(stdin ?? ""))
            {
                return new ProcessResult(1, "", "iptables-restore: line 3 failed");
            }
        }

        // Only one caller leads at a time, so the fake never sees two runs at once; the lock makes a bug visible as a wrong count, not a torn list.
        lock (_runLock)
        {
            return _fake.Run(file, args, stdin);
        }
    }
}
