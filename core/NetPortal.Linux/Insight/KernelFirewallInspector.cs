using NetPortal.Core.Drivers;
using NetPortal.Core.Insight;
using NetPortal.Linux.Firewall;

namespace NetPortal.Linux.Insight;

/// <summary>
/// Reads the managed namespace's ruleset with `iptables-save -c` / `ip6tables-save -c`, or `nft list ruleset` for the
/// nftables backend; expected iptables rules come from the same table of Docker's rules the firewall applies.
/// </summary>
/// <param name="backend">The configured firewall backend: iptables, nftables or none.</param>
/// <param name="run">Runs a program (file, arguments, stdin) inside the managed namespace.</param>
/// <param name="hairpin">The userland proxy is off (hairpin rules instead of the DNAT skip).</param>
public sealed class KernelFirewallInspector(string backend, Func<string, IReadOnlyList<string>, string?, ProcessResult> run, bool hairpin)
    : IFirewallInspector
{
    public string Backend => backend;

    public IReadOnlyList<RulesDump> Dump()
    {
        switch (backend)
        {
            case "iptables":
                var dumps = new List<RulesDump> { new("ipv4", RulesDump.IptablesSave, Save("iptables-save", required: true)) };
                var v6 = Save("ip6tables-save", required: false);
                if (v6.Length > 0) dumps.Add(new RulesDump("ipv6", RulesDump.IptablesSave, v6));
                return dumps;
            case "nftables":
                var nft = run("nft", ["list", "ruleset"], null);
                if (nft.ExitCode != 0) throw Core.Errors.NetPortalException.Internal($"nft list ruleset failed (exit {nft.ExitCode}): {nft.StdErr.Trim()}");
                return [new RulesDump("", RulesDump.Nft, nft.StdOut)];
            default:
                return [];
        }
    }

    public IReadOnlyList<ExpectedRule> ExpectedRules(NetworkFirewallSpec network)
    {
        if (backend != "iptables") return [];
        var rules = new List<ExpectedRule>();
        void Add(bool ipv6) => rules.AddRange(DockerIptablesRules.ForNetwork(network, ipv6, hairpin)
            .Where(c => c.Action != IptablesAction.Delete)
            .Select(c => new ExpectedRule(ipv6 ? "ipv6" : "ipv4", c.Rule.Table, c.Rule.Chain, c.Rule.Spec)));
        Add(ipv6: false);
        if (network.SubnetsV6.Count > 0) Add(ipv6: true);
        return rules;
    }

    private string Save(string file, bool required)
    {
        ProcessResult r;
        try
        {
            r = run(file, ["-c"], null);
        }
        catch (Exception e) when (!required && e is System.ComponentModel.Win32Exception or IOException)
        {
            return "";
        }
        if (r.ExitCode == 0) return r.StdOut;
        if (!required) return "";
        throw Core.Errors.NetPortalException.Internal($"{file} -c failed (exit {r.ExitCode}): {r.StdErr.Trim()}");
    }
}
