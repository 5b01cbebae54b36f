using Microsoft.Extensions.Logging;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;

namespace NetPortal.Linux.Firewall;

/// <summary>
/// Docker's iptables chains and rules (dockerd 20.10), applied with one iptables-restore --noflush write per
/// address family and call. The ruleset is read with iptables-save once and then kept in memory, updated with
/// every batch that the kernel accepted; a batch the kernel refuses (someone changed the rules by hand) drops
/// that copy, and the change is planned again from a fresh read. Concurrent calls are group-committed
/// (see IptablesFirewall.GroupCommit.cs): while one restore runs, new changes queue and the next restore
/// carries all of them.
/// </summary>
/// <param name="run">Runs a program (file, arguments, stdin) inside the managed network namespace.</param>
/// <param name="logger">Receives one line per applied change.</param>
public sealed partial class IptablesFirewall(
    Func<string, IReadOnlyList<string>, string?, ProcessResult> run,
    ILogger<IptablesFirewall> logger) : IFirewall
{
    private static readonly Family V4 = new("iptables");
    private static readonly Family V6 = new("ip6tables");

    private readonly Lock _lock = new();
    private readonly Dictionary<string, IptablesRuleset> _known = new(StringComparer.Ordinal);

    public string Name => "iptables";

    public void Initialize()
    {
        // Start-up always plans against what the kernel has now (a fresh request clears the cached model).
        Submit(new Request(Fresh: true,
        [
            new Step(V4, Required: true, batch => DockerIptablesRules.EnsureBase(batch, ipv6: false, Hairpin)),

            // dockerd 20.10 leaves ip6tables alone until it has IPv6 rules to add; so do we, but once our chains
            // are there (an earlier IPv6 network), the DOCKER-USER jump is kept first as in iptables.
            new Step(V6, Required: false, batch =>
            {
                if (batch.State.HasChain(DockerIptablesRules.Filter, DockerIptablesRules.UserChain))
                {
                    DockerIptablesRules.EnsureBase(batch, ipv6: true, Hairpin);
                }
            }),
        ]));
    }

    public void AddNetwork(NetworkFirewallSpec network)
    {
        // Render (and so validate) both families before touching the kernel.
        var v4 = DockerIptablesRules.ForNetwork(network, ipv6: false, Hairpin);
        var v6 = network.SubnetsV6.Count > 0 ? DockerIptablesRules.ForNetwork(network, ipv6: true, Hairpin) : null;
        var steps = new List<Step> { new(V4, Required: true, batch => AddTo(batch, v4, ipv6: false, Hairpin)) };
        if (v6 is not null)
        {
            steps.Add(new Step(V6, Required: true, batch => AddTo(batch, v6, ipv6: true, Hairpin)));
        }

        Submit(new Request(Fresh: false, steps));
    }

    public void RemoveNetwork(NetworkFirewallSpec network)
    {
        var bridge = DockerIptablesRules.ValidBridgeName(network.BridgeName);
        var steps = new List<Step> { new(V4, Required: true, batch => RemoveFrom(batch, bridge)) };
        if (network.SubnetsV6.Count > 0)
        {
            steps.Add(new Step(V6, Required: true, batch => RemoveFrom(batch, bridge)));
        }

        Submit(new Request(Fresh: false, steps));
    }

    public IReadOnlyList<string> Reconcile(IReadOnlyCollection<NetworkFirewallSpec> networks)
    {
        var v6Networks = networks.Where(n => n.SubnetsV6.Count > 0).ToList();
        var bridges = networks.Select(n => DockerIptablesRules.ValidBridgeName(n.BridgeName)).ToHashSet(StringComparer.Ordinal);
        var v4 = networks.Select(n => DockerIptablesRules.ForNetwork(n, ipv6: false, Hairpin)).ToList();
        var v6 = v6Networks.Select(n => DockerIptablesRules.ForNetwork(n, ipv6: true, Hairpin)).ToList();

        return Submit(new Request(Fresh: true,
        [
            new Step(V4, Required: true, batch => ReconcileIn(batch, v4, bridges, ipv6: false, Hairpin)),
            new Step(V6, Required: v6.Count > 0, batch => ReconcileIn(batch, v6, bridges, ipv6: true, Hairpin)),
        ]));
    }

    private static void AddTo(IptablesBatch batch, IReadOnlyList<IptablesCommand> commands, bool ipv6, bool hairpin)
    {
        DockerIptablesRules.EnsureBase(batch, ipv6, hairpin);
        foreach (var command in commands)
        {
            batch.Apply(command);
        }

        DockerIptablesRules.EnsureForwardHead(batch);
    }

    private static void RemoveFrom(IptablesBatch batch, string bridge)
    {
        // Every rule of a known shape for this bridge, not just the current spec's: an icc or masquerade
        // setting changed since the rules were made must not leave the old ones behind. The substring test keeps the
        // shape regexes off the rules of every other network (thousands with many networks).
        foreach (var rule in batch.State.AllRules().Where(r => r.Spec.Contains(bridge, StringComparison.Ordinal)).ToList())
        {
            if (DockerIptablesRules.TryGetBridge(rule, out var b) && b == bridge)
            {
                batch.DeleteAll(rule);
            }
        }
    }

    private static void ReconcileIn(
        IptablesBatch batch, IReadOnlyList<IReadOnlyList<IptablesCommand>> networks, HashSet<string> bridges, bool ipv6, bool hairpin)
    {
        var wanted = networks.SelectMany(n => n).Where(c => c.Action != IptablesAction.Delete).Select(c => c.Rule).ToHashSet();
        foreach (var rule in batch.State.AllRules().ToList())
        {
            // Ours: a shape we make, on a bridge named like dockerd's or one of the given networks'. Port rules
            // (DNAT/ACCEPT/hairpin MASQUERADE of a mapping) belong to their endpoint: the port publisher adds and
            // removes them, so they survive a restart with adopted containers (see IptablesFirewall.Ports.cs).
            if (!DockerIptablesRules.IsPortRule(rule)
                && DockerIptablesRules.TryGetBridge(rule, out var b)
                && (DockerIptablesRules.IsDockerBridgeName(b) || bridges.Contains(b))
                && !wanted.Contains(rule))
            {
                batch.DeleteAll(rule);
            }
        }

        if (networks.Count == 0)
        {
            return;
        }

        DockerIptablesRules.EnsureBase(batch, ipv6, hairpin);
        foreach (var command in networks.SelectMany(n => n))
        {
            batch.Apply(command);
        }

        DockerIptablesRules.EnsureForwardHead(batch);
    }

    /// <summary>
    /// Reads the family's ruleset (unless cached), plans the change against it and writes it: over nf_tables
    /// netlink by rule handle when it can (see IptablesFirewall.Netlink.cs), else in one iptables-restore. A write
    /// that fails because someone changed the ruleset in between is planned again once from a fresh read, and
    /// then written by iptables-restore. Callers hold <c>_lock</c>.
    /// </summary>
    private IReadOnlyList<string> ChangeLocked(Family family, bool required, Action<IptablesBatch> plan)
    {
        for (var attempt = 1; ; attempt++)
        {
            var fresh = !_known.TryGetValue(family.Name, out var state);
            if (fresh && (state = ReadSave(family, required)) is null)
            {
                return [];
            }

            if (fresh)
            {
                ForgetHandles(family);
            }

            // Handles that do not line up with a cached model mean the rules changed behind our back: read again.
            var byHandle = attempt == 1 && PrepareHandles(family, state!);
            if (attempt == 1 && !byHandle && !fresh && Netlink is not null)
            {
                state = ReadSave(family, required);
                if (state is null) return [];
                ForgetHandles(family);
                byHandle = PrepareHandles(family, state);
                if (!byHandle)
                {
                    // iptables-save and nf_tables disagree on a fresh read: the legacy (x_tables) backend, whose
                    // rules nf_tables does not hold. Only iptables-restore can write those.
                    DisableNetlink($"{family.Save} and the nf_tables rules do not line up (iptables-legacy?)");
                }
            }

            // Planning applies the batch to the model; only a batch the kernel accepts keeps that model.
            _known.Remove(family.Name);
            var batch = new IptablesBatch(state!, family.Name);
            plan(batch);
            if (batch.IsEmpty)
            {
                _known[family.Name] = batch.State;
                return [];
            }

            if (byHandle)
            {
                try
                {
                    if (TryWriteNetlink(family, batch))
                    {
                        return Accepted(family, batch);
                    }
                }
                catch (Netlink.NetlinkException e)
                {
                    logger.LogWarning("nf_tables refused the change ({Error}), planning again", e.Message);
                    continue;
                }
            }

            // -w: with the legacy backend, wait for the xtables lock instead of failing next to a concurrent iptables.
            var input = batch.RenderRestoreInput();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var restore = Run(family.Restore, ["--noflush", "-w"], input);
            logger.LogDebug("{Command} of {Lines} lines took {Ms:F1} ms", family.Restore, batch.Changes.Count,
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            ForgetHandles(family);
            if (restore.ExitCode == 0)
            {
                return Accepted(family, batch);
            }

            if (attempt >= 2)
            {
                throw NetPortalException.Internal($"{family.Restore} failed (exit {restore.ExitCode}): {restore.StdErr.Trim()}");
            }

            logger.LogWarning("{Command} failed, planning again: {Error}", family.Restore, restore.StdErr.Trim());
        }
    }

    private IReadOnlyList<string> Accepted(Family family, IptablesBatch batch)
    {
        _known[family.Name] = batch.State;
        foreach (var change in batch.Changes)
        {
            logger.LogInformation("firewall: {Change}", change);
        }

        return batch.Changes;
    }

    /// <summary>The family's ruleset from iptables-save; null when that failed and the family is optional.</summary>
    private IptablesRuleset? ReadSave(Family family, bool required)
    {
        var save = Run(family.Save, [], null);
        if (save.ExitCode == 0)
        {
            return IptablesRuleset.Parse(save.StdOut);
        }

        if (!required)
        {
            logger.LogWarning("{Command} failed, {Family} rules left alone: {Error}", family.Save, family.Name, save.StdErr.Trim());
            return null;
        }

        throw NetPortalException.Internal($"{family.Save} failed (exit {save.ExitCode}): {save.StdErr.Trim()}");
    }

    private ProcessResult Run(string file, IReadOnlyList<string> args, string? stdin)
    {
        try
        {
            return run(file, args, stdin);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            throw NetPortalException.Unavailable($"cannot run {file}: {e.Message}");
        }
    }

    private sealed record Family(string Name)
    {
        public string Save => Name + "-save";

        public string Restore => Name + "-restore";
    }
}
