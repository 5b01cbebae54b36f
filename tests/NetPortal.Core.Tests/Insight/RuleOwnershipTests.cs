using NetPortal.Core.Insight;
using static NetPortal.Core.Tests.Insight.InsightSamples;

namespace NetPortal.Core.Tests.Insight;

public sealed class RuleOwnershipTests
{
    private static RuleOwner OwnerOf(FirewallRuleset rules, string table, string text) =>
        rules.Table("ipv4", table)!.Chains.SelectMany(c => c.Rules).Single(r => r.Text == text).Owner;

    [Fact]
    public void RulesAreTaggedWithNetworkPortDaemonOrUser()
    {
        var capture = RefdockerCapture.IptablesSaveC + "\n*raw\n:PREROUTING ACCEPT [0:0]\n[5:300] -A PREROUTING -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n";
        var rules = RuleOwnership.Classify(Rules(capture), AllNetworks, AllSandboxes);

        Assert.Equal(new RuleOwner("network", A.Id, "a"), OwnerOf(rules, "filter", $"-A FORWARD -o {BridgeA} -j DOCKER"));
        Assert.Equal(new RuleOwner("network", B.Id, "b"), OwnerOf(rules, "filter", $"-A DOCKER-ISOLATION-STAGE-2 -o {BridgeB} -j DROP"));
        Assert.Equal(new RuleOwner("network", B.Id, "b"), OwnerOf(rules, "nat", $"-A POSTROUTING -s 192.168.160.0/20 ! -o {BridgeB} -j MASQUERADE"));
        Assert.Equal(new RuleOwner("network", Default.Id, "bridge"), OwnerOf(rules, "nat", "-A DOCKER -i docker0 -j RETURN"));

        var port = new RuleOwner("port", Rp.ContainerId, "8080/tcp → rp:80");
        Assert.Equal(port, OwnerOf(rules, "nat", "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80"));
        Assert.Equal(port, OwnerOf(rules, "filter", "-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT"));
        Assert.Equal(port, OwnerOf(rules, "nat", "-A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE"));

        Assert.Equal(RuleOwner.Daemon("jump"), OwnerOf(rules, "filter", "-A FORWARD -j DOCKER-USER"));
        Assert.Equal(RuleOwner.Daemon("jump"), OwnerOf(rules, "nat", "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER"));
        Assert.Equal(RuleOwner.Daemon("base chain"), OwnerOf(rules, "filter", "-A DOCKER-ISOLATION-STAGE-1 -j RETURN"));

        var user = rules.Table("ipv4", "filter")!.Chain("DOCKER-USER")!.Rules.Single();
        Assert.Equal(("user", true), (user.Owner.Kind, user.User));
        var foreign = rules.Table("ipv4", "raw")!.Chain("PREROUTING")!.Rules.Single();
        Assert.Equal(("user", true, 5UL), (foreign.Owner.Kind, foreign.User, foreign.Packets));
        Assert.False(rules.Table("ipv4", "filter")!.Chain("FORWARD")!.Rules[0].User);
    }
}
