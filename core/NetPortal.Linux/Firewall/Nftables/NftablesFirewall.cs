using Microsoft.Extensions.Logging;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;

namespace NetPortal.Linux.Firewall.Nftables;

/// <summary>
/// Native nftables: one table of NetPortal's own per family (<c>ip netportal</c>, <c>ip6 netportal</c>) with a
/// fixed set of rules (see <see cref="NetPortalNftLayout"/>); a network is only elements of its sets. Every change
/// is one <c>nft -f -</c> transaction over both families. Adding and removing a network needs no read: adds are
/// idempotent and removals go through add-then-delete, so a network's elements can be set whatever the table
/// holds. Initialize and Reconcile read the tables with <c>nft -j</c> and write only the difference.
/// </summary>
/// <param name="run">Runs a program (file, arguments, stdin) inside the managed network namespace.</param>
/// <param name="logger">Receives one line per applied change.</param>
public sealed partial class NftablesFirewall(
    Func<string, IReadOnlyList<string>, string?, ProcessResult> run,
    ILogger<NftablesFirewall> logger) : IFirewall
{
    private const string Nft = "nft";

    private readonly Lock _lock = new();

    public string Name => "nftables";

    /// <summary>--userland-proxy=false: published ports are also DNATed from the managed namespace's loopback.</summary>
    public bool Hairpin { get; init; }

    public void Initialize()
    {
        lock (_lock)
        {
            var ip = Read(NetPortalNftLayout.Ip);
            var script = NetPortalNftLayout.Tables.SelectMany(t => NftScript.Structure(t, t == NetPortalNftLayout.Ip ? ip : Read(t))).ToList();
            // The mode can change between daemon starts: the loopback switch follows it (written only when it differs).
            var set = $"{NetPortalNftLayout.Ip.Family.Name} {NetPortalNftLayout.TableName} {NetPortalNftLayout.HairpinLoopback}";
            var on = ip is not null && ip.Sets.TryGetValue(NetPortalNftLayout.HairpinLoopback, out var s) && s.Elements.Count > 0;
            if (Hairpin && !on) script.Add($"add element {set} {{ \"lo\" }}");
            if (!Hairpin && on) script.Add($"flush set {set}");
            if (script.Count > 0)
            {
                Apply(script);
                logger.LogInformation("nftables: table {Table} set up in ip and ip6", NetPortalNftLayout.TableName);
            }
        }
    }

    /// <summary>
    /// The equivalent of dockerd's <c>iptables -P FORWARD DROP</c> when it is the one turning on IPv4 forwarding:
    /// forwarded IPv4 packets that no rule of ours accepts are dropped (Docker 29 does the same in its table).
    /// The policy stays across Initialize.
    /// </summary>
    public void DropUnmatchedForwarding()
    {
        lock (_lock)
        {
            Apply(NftScript.ForwardPolicy(NetPortalNftLayout.Ip, "drop"));
        }
    }

    public void AddNetwork(NetworkFirewallSpec network)
    {
        // Rendering validates the bridge name and subnets before anything reaches nft.
        var script = new List<string>();
        foreach (var table in NetPortalNftLayout.Tables)
        {
            var (present, absent) = NetPortalNftLayout.ForNetwork(network, table.Family, Hairpin);
            script.AddRange(NftScript.EnsureAbsent(table, absent));
            script.AddRange(NftScript.Add(table, present));
        }

        Change(script, $"add network {network.BridgeName}");
    }

    public void RemoveNetwork(NetworkFirewallSpec network)
    {
        // Every element the bridge can have, not just the spec's: settings changed since must not leave any behind.
        var script = NetPortalNftLayout.Tables
            .SelectMany(t => NftScript.EnsureAbsent(t, NetPortalNftLayout.AllOfBridge(network, t.Family)))
            .ToList();
        Change(script, $"remove network {network.BridgeName}");
    }

    public IReadOnlyList<string> Reconcile(IReadOnlyCollection<NetworkFirewallSpec> networks)
    {
        var wanted = NetPortalNftLayout.Tables.ToDictionary(
            t => t.Family.Name,
            t => networks.SelectMany(n => NetPortalNftLayout.ForNetwork(n, t.Family, Hairpin).Present).ToHashSet());
        lock (_lock)
        {
            var script = new List<string>();
            var changes = new List<string>();
            foreach (var table in NetPortalNftLayout.Tables)
            {
                var current = Read(table);
                var structure = NftScript.Structure(table, current);
                script.AddRange(structure);
                if (structure.Count > 0)
                {
                    changes.Add($"set up table {table.Qualified}");
                }

                // A set that Structure recreates (or creates) starts empty.
                var recreated = NftScript.Recreated(table, current);
                var have = table.Sets.Where(s => s.PerNetwork && !recreated.Contains(s))
                    .SelectMany(s => current is not null && current.Sets.TryGetValue(s.Name, out var st) ? st.Elements : [])
                    .ToHashSet();
                var stale = have.Where(e => !wanted[table.Family.Name].Contains(e)).ToList();
                var missing = wanted[table.Family.Name].Where(e => !have.Contains(e)).ToList();
                script.AddRange(NftScript.Delete(table, stale));
                script.AddRange(NftScript.Add(table, missing));
                changes.AddRange(stale.Select(e => $"delete element {table.Qualified} {e.Set} {{ {e.Render()} }}"));
                changes.AddRange(missing.Select(e => $"add element {table.Qualified} {e.Set} {{ {e.Render()} }}"));
            }

            if (script.Count > 0)
            {
                Apply(script);
                foreach (var change in changes)
                {
                    logger.LogInformation("firewall: {Change}", change);
                }
            }

            return changes;
        }
    }

    /// <summary>
    /// The kernel's view of one table, null when it does not exist. Exposed to tests, which count rules with it.
    /// </summary>
    internal NftTableState? Read(NftTable table)
    {
        var r = Run(["-j", "list", "table", table.Family.Name, table.Name], null);
        if (r.ExitCode == 0)
        {
            return NftTableState.Parse(r.StdOut);
        }

        if (r.StdErr.Contains("No such file or directory", StringComparison.Ordinal))
        {
            return null;
        }

        throw NetPortalException.Internal($"nft list table {table.Qualified} failed (exit {r.ExitCode}): {r.StdErr.Trim()}");
    }

    /// <summary>
    /// Applies a network's element batch; when nft refuses it (the table was deleted or changed behind our back),
    /// the structure is repaired from a fresh read and the batch sent again with it, once.
    /// </summary>
    private void Change(List<string> script, string what)
    {
        if (script.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            var first = Run(["-f", "-"], Join(script));
            if (first.ExitCode == 0)
            {
                logger.LogInformation("firewall: nftables {What} ({Lines} commands)", what, script.Count);
                return;
            }

            logger.LogWarning("nft refused {What}, repairing the table and retrying: {Error}", what, first.StdErr.Trim());
            var repair = NetPortalNftLayout.Tables.SelectMany(t => NftScript.Structure(t, Read(t))).ToList();
            Apply([.. repair, .. script]);
            logger.LogInformation("firewall: nftables {What} ({Lines} commands, after repair)", what, script.Count);
        }
    }

    private void Apply(IReadOnlyList<string> script)
    {
        var r = Run(["-f", "-"], Join(script));
        if (r.ExitCode != 0)
        {
            throw NetPortalException.Internal($"nft -f failed (exit {r.ExitCode}): {r.StdErr.Trim()}");
        }
    }

    private static string Join(IReadOnlyList<string> script) => string.Join('\n', script) + "\n";

    private ProcessResult Run(IReadOnlyList<string> args, string? stdin)
    {
        try
        {
            return run(Nft, args, stdin);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            throw NetPortalException.Unavailable($"cannot run {Nft}: {e.Message}");
        }
    }
}
