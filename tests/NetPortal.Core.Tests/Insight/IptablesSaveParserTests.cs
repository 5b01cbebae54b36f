using NetPortal.Core.Insight;

namespace NetPortal.Core.Tests.Insight;

public sealed class IptablesSaveParserTests
{
    [Fact]
    public void ParsesTablesChainsPoliciesAndCountersOfARealCapture()
    {
        var tables = IptablesSaveParser.Parse(RefdockerCapture.IptablesSaveC, "ipv4");

        Assert.Equal(["filter", "nat"], tables.Select(t => t.Table));
        Assert.All(tables, t => Assert.Equal("ipv4", t.Family));
        var filter = tables[0];
        Assert.Equal(["INPUT", "FORWARD", "OUTPUT", "DOCKER", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2", "DOCKER-USER"], filter.Chains.Select(c => c.Name));
        Assert.Equal("DROP", filter.Chain("FORWARD")!.Policy);
        Assert.Equal("-", filter.Chain("DOCKER")!.Policy);
        Assert.Empty(filter.Chain("INPUT")!.Rules);

        var forward = filter.Chain("FORWARD")!.Rules;
        Assert.Equal(14, forward.Count);
        Assert.Equal(new FirewallRule(1, "-A FORWARD -j DOCKER-USER", "-j DOCKER-USER", 2, 168), forward[0] with { Owner = RuleOwner.Unknown });
        Assert.Equal(Enumerable.Range(1, 14), forward.Select(r => r.Position));

        var dropped = filter.Chain("DOCKER-ISOLATION-STAGE-2")!.Rules[0];
        Assert.Equal("-A DOCKER-ISOLATION-STAGE-2 -o br-09f1897aa72e -j DROP", dropped.Text);
        Assert.Equal((2UL, 168UL), (dropped.Packets, dropped.Bytes));

        var dnat = tables[1].Chain("DOCKER")!.Rules[^1];
        Assert.Equal("! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80", dnat.Spec);
        Assert.Equal((0UL, 0UL), (dnat.Packets, dnat.Bytes));
    }

    [Fact]
    public void PlainIptablesSaveWithoutCountersAlsoParses()
    {
        var tables = IptablesSaveParser.Parse("*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -i x -j DROP\nCOMMIT\n", "ipv6");
        var rule = Assert.Single(tables[0].Chain("FORWARD")!.Rules);
        Assert.Equal(("-i x -j DROP", 0UL), (rule.Spec, rule.Packets));
        Assert.Equal("ipv6", tables[0].Family);
    }

    [Fact]
    public void RuleSpecReadsMatchesNegationsAndTarget()
    {
        var spec = RuleSpec.Parse("-d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT");
        Assert.Equal(
            [new("dst", "172.17.0.2/32", false), new("in", "docker0", true), new("out", "docker0", false), new("proto", "tcp", false), new("dport", "80", false)],
            spec.Conditions);
        Assert.Equal("ACCEPT", spec.Target);
        Assert.Empty(spec.Unknown);
        Assert.Equal(["-m physdev"], RuleSpec.Parse("-m physdev --physdev-is-bridged -j ACCEPT").Unknown.Take(1));
        Assert.Equal(["--to-destination", "172.17.0.2:80"], RuleSpec.Parse("-p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80").TargetArgs);
    }

    [Fact]
    public void NftListRulesetIsReadBestEffort()
    {
        const string text = """
            table ip netportal {
            	set bridges {
            		type ifname
            		elements = { "br-1" }
            	}
            	chain filter-FORWARD {
            		type filter hook forward priority filter; policy drop;
            		counter packets 3 bytes 252 jump user-forward
            		iifname "br-1" oifname "br-1" counter packets 0 bytes 0 accept
            	}
            	chain user-forward {
            	}
            }
            """;
        var table = Assert.Single(NftListParser.Parse(text));
        Assert.Equal(("ipv4", "netportal"), (table.Family, table.Table));
        var forward = table.Chain("filter-FORWARD")!;
        Assert.Equal(("DROP", "forward", "filter"), (forward.Policy, forward.Hook, forward.Type));
        Assert.Equal((3UL, 252UL), (forward.Rules[0].Packets, forward.Rules[0].Bytes));
        var accept = RuleSpec.Parse(forward.Rules[1].Spec, nft: true);
        Assert.Equal([new("in", "br-1", false), new("out", "br-1", false)], accept.Conditions);
        Assert.Equal("ACCEPT", accept.Target);
        Assert.Equal("-", table.Chain("user-forward")!.Policy);
    }
}
