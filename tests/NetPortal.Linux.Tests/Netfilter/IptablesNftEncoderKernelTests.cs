using NetPortal.Linux.Netfilter;
using NetPortal.Linux.Tests.Firewall;

namespace NetPortal.Linux.Tests.Netfilter;

/// <summary>
/// The encoder against iptables-nft itself: every rule shape of the golden files (all captured from dockerd 20.10)
/// plus a few edge shapes is written by iptables-restore into one scratch namespace and by our netlink requests into
/// another; the kernel's dumps of both must hold the same expressions, and iptables-save must print the same text.
/// </summary>
public sealed class IptablesNftEncoderKernelTests
{
    private static readonly string[] ExtraV4 =
    [
        "*nat",
        "-A POSTROUTING -s 192.168.16.0/20 ! -o br-0000000000aa -j MASQUERADE",
        "-A POSTROUTING -s 10.0.0.0/9 ! -o br-0000000000ab -j MASQUERADE",
        "-A DOCKER ! -i br-0000000000aa -p udp -m udp --dport 5353 -j DNAT --to-destination 192.168.16.2:53",
        "-A DOCKER -d 127.0.0.1/32 -p tcp -m tcp --dport 8081 -j DNAT --to-destination 192.168.16.2",
        "*filter",
        "-A DOCKER -d 192.168.16.2/32 ! -i br-0000000000aa -o br-0000000000aa -p udp -m udp --dport 53 -j ACCEPT",
    ];

    private static readonly string[] ExtraV6 =
    [
        "*nat",
        "-A POSTROUTING -s fd00:1:2:2::/63 ! -o br-0000000000aa -j MASQUERADE",
        "-A DOCKER ! -i br-0000000000aa -p udp -m udp --dport 5353 -j DNAT --to-destination [fd00:1:2:3::2]:53",
    ];

    [IptablesFact]
    public void Ipv4_rules_are_encoded_as_iptables_nft_encodes_them() => Compare(ipv6: false);

    [IptablesFact]
    public void Ipv6_rules_are_encoded_as_iptables_nft_encodes_them() => Compare(ipv6: true);

    [IptablesFact]
    public void A_remove_can_wait_for_an_rcu_grace_period_without_holding_a_kernel_lock() =>
        // membarrier(MEMBARRIER_CMD_GLOBAL) exists on these kernels; without it the firewall falls back to closing its socket.
        NetPortal.Linux.Interop.Native.WaitForRcuGracePeriod();

    [Fact]
    public void Shapes_outside_dockerds_rules_are_left_to_iptables_restore()
    {
        static bool NoChain(string _) => false;
        Assert.Null(IptablesNftEncoder.TryEncode("-p sctp -m sctp --dport 80 -j ACCEPT", false, NoChain));
        Assert.Null(IptablesNftEncoder.TryEncode("-i br+ -j ACCEPT", false, NoChain));
        Assert.Null(IptablesNftEncoder.TryEncode("-m comment --comment x -j ACCEPT", false, NoChain));
        Assert.Null(IptablesNftEncoder.TryEncode("-j LOG", false, NoChain));
        Assert.Null(IptablesNftEncoder.TryEncode("-j DOCKER", false, NoChain));
        Assert.Null(IptablesNftEncoder.TryEncode("-m conntrack --ctstate NEW -j ACCEPT", false, NoChain));
        Assert.Null(IptablesNftEncoder.TryEncode("-s fd00::/64 -j ACCEPT", false, NoChain));
        Assert.NotNull(IptablesNftEncoder.TryEncode("-j DOCKER", false, c => c == "DOCKER"));
    }

    private static void Compare(bool ipv6)
    {
        var suffix = ipv6 ? ".v6.golden" : ".v4.golden";
        var (chains, rules) = Shapes(ipv6, suffix);
        var family = ipv6 ? NfTables.NFPROTO_IPV6 : NfTables.NFPROTO_IPV4;
        var restore = ipv6 ? "ip6tables-restore" : "iptables-restore";
        var save = ipv6 ? "ip6tables-save" : "iptables-save";

        using var theirs = new FirewallNamespace();
        using var ours = new FirewallNamespace();
        var declare = string.Concat(chains.GroupBy(c => c.Table).Select(g =>
            $"*{g.Key}\n" + string.Concat(g.Select(c => $":{c.Chain} - [0:0]\n")) + "COMMIT\n"));
        theirs.Run(restore, ["--noflush"], declare).EnsureSuccess(restore);
        ours.Run(restore, ["--noflush"], declare).EnsureSuccess(restore);
        var all = string.Concat(rules.GroupBy(r => r.Table).Select(g =>
            $"*{g.Key}\n" + string.Concat(g.Select(r => $"-A {r.Chain} {r.Spec}\n")) + "COMMIT\n"));
        theirs.Run(restore, ["--noflush"], all).EnsureSuccess(restore);

        var chainNames = chains.Select(c => c.Chain).ToHashSet();
        var requests = new List<NftMessage>();
        foreach (var (table, chain, spec) in rules)
        {
            var body = IptablesNftEncoder.TryEncode(spec, ipv6, chainNames.Contains);
            Assert.True(body is not null, $"not encodable: {spec}");
            requests.Add(NftRequests.NewRule(family, table, chain, body!, append: true));
        }

        using (var socket = NftSocket.OpenIn($"/var/run/netns/{ours.Name}"))
        {
            var handles = socket.Commit(requests);
            Assert.Equal(rules.Count, handles.Count);
            // Handles are numbered per table.
            Assert.Equal(handles.Count, handles.Select((h, i) => (rules[i].Table, h)).Distinct().Count());
        }

        Assert.Equal(theirs.Save(save), ours.Save(save));
        var expected = Dump(theirs, family);
        var actual = Dump(ours, family);
        Assert.Equal(string.Join(",", expected.Select(r => r.Chain)), string.Join(",", actual.Select(r => r.Chain)));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Expressions!.AsSpan().SequenceEqual(actual[i].Expressions),
                $"{rules.FirstOrDefault(r => r.Chain == expected[i].Chain).Spec} in {expected[i].Table}/{expected[i].Chain} (#{i}):\n" +
                $"iptables: {Convert.ToHexString(expected[i].Expressions!)}\nours:     {Convert.ToHexString(actual[i].Expressions!)}");
        }
    }

    private static List<RuleHandle> Dump(FirewallNamespace ns, byte family)
    {
        using var socket = NftSocket.OpenIn($"/var/run/netns/{ns.Name}");
        return [.. socket.DumpRules(family, withExpressions: true).OrderBy(r => r.Table).ThenBy(r => r.Chain, StringComparer.Ordinal)];
    }

    /// <summary>Distinct chains and rule lines of every golden file of the family, plus the extra edge shapes.</summary>
    private static (List<(string Table, string Chain)> Chains, List<(string Table, string Chain, string Spec)> Rules) Shapes(bool ipv6, string suffix)
    {
        var chains = new List<(string, string)>();
        var rules = new List<(string, string, string)>();
        var lines = Golden.Files("*" + suffix).SelectMany(File.ReadLines)
            .Concat(ipv6 ? ExtraV6 : ExtraV4);
        var table = "";
        foreach (var line in lines)
        {
            if (line.StartsWith('*')) table = line[1..];
            else if (line.StartsWith(':'))
            {
                var chain = line[1..line.IndexOf(' ')];
                if (!chains.Contains((table, chain))) chains.Add((table, chain));
            }
            else if (line.StartsWith("-A ", StringComparison.Ordinal))
            {
                var space = line.IndexOf(' ', 3);
                var rule = (table, line[3..space], line[(space + 1)..]);
                if (!rules.Contains(rule)) rules.Add(rule);
            }
        }

        foreach (var (t, c, _) in rules.ToList())
        {
            if (!chains.Contains((t, c))) chains.Add((t, c));
        }

        return (chains, rules);
    }
}
