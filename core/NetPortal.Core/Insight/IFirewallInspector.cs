using NetPortal.Core.Drivers;

namespace NetPortal.Core.Insight;

/// <summary>Read-only view of the managed namespace's firewall for reports; it never changes a rule.</summary>
public interface IFirewallInspector
{
    /// <summary>iptables, nftables or none.</summary>
    string Backend { get; }

    /// <summary>The live ruleset with counters: `iptables-save -c` per family, or `nft list ruleset`.</summary>
    IReadOnlyList<RulesDump> Dump();

    /// <summary>The rules the backend keeps for one network, in the spelling <see cref="Dump"/> prints them.</summary>
    IReadOnlyList<ExpectedRule> ExpectedRules(NetworkFirewallSpec network);
}
