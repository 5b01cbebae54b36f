using NetPortal.Core.Insight;
using static NetPortal.Core.Tests.Insight.InsightSamples;

namespace NetPortal.Core.Tests.Insight;

public sealed class ReachabilityExplainerTests
{
    private static ReachabilityResult Explain(InsightSandbox from, InsightSandbox to, FirewallRuleset? rules = null, IReadOnlyList<InsightNetwork>? networks = null) =>
        ReachabilityExplainer.Explain(from, new ReachabilityTarget("container", to.Name, 0, ""), to, AllSandboxes, networks ?? AllNetworks, rules ?? Rules(), []);

    private static ReachabilityStep Decisive(ReachabilityResult r) => Assert.Single(r.Steps, s => s.Decides);

    [Fact]
    public void TwoBridgesAreBlockedByIsolationStage2()
    {
        var r = Explain(Ra, Rb);

        Assert.Equal(("ra", "rb", "blocked"), (r.From, r.To, r.Verdict));
        var d = Decisive(r);
        Assert.Equal(("rule", "filter", "DOCKER-ISOLATION-STAGE-2"), (d.Kind, d.Table, d.Chain));
        Assert.Equal($"-A DOCKER-ISOLATION-STAGE-2 -o {BridgeB} -j DROP", d.Text);
        Assert.Equal("route", r.Steps[0].Kind);
        Assert.Equal("ra: 192.168.160.2 via 192.168.144.1 dev eth0 (default route)", r.Steps[0].Text);
        // In packet order: DOCKER-USER (returns), then isolation stage 1's jump, then stage 2's drop.
        var texts = r.Steps.Where(s => s.Kind == "rule").Select(s => s.Text).ToList();
        Assert.Equal(
            ["-A FORWARD -j DOCKER-USER", "-A DOCKER-USER -j RETURN", "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
             $"-A DOCKER-ISOLATION-STAGE-1 -i {BridgeA} ! -o {BridgeA} -j DOCKER-ISOLATION-STAGE-2", $"-A DOCKER-ISOLATION-STAGE-2 -o {BridgeB} -j DROP"],
            texts);
        Assert.Contains("different bridge networks", r.Summary);
    }

    [Fact]
    public void SameNetworkIsAllowedByTheBridgesAcceptRule()
    {
        var r = Explain(Ra, Rc);

        Assert.Equal("allowed", r.Verdict);
        var d = Decisive(r);
        Assert.Equal(("filter", "FORWARD", $"-A FORWARD -i {BridgeA} -o {BridgeA} -j ACCEPT"), (d.Table, d.Chain, d.Text));
        Assert.Contains(r.Steps, s => s.Kind == "bridge" && s.Text == $"same bridge {BridgeA} (network a)");
        Assert.Equal("ra: 192.168.144.3 dev eth0 (connected, network a)", r.Steps[0].Text);
    }

    [Fact]
    public void IccOffIsBlockedByTheDropRule()
    {
        // dockerd with enable_icc=false: no ACCEPT, a DROP appended at the end of FORWARD.
        var capture = RefdockerCapture.IptablesSaveC
            .Replace($"[0:0] -A FORWARD -i {BridgeA} -o {BridgeA} -j ACCEPT\n", "", StringComparison.Ordinal)
            .Replace("[0:0] -A DOCKER -d 172.17.0.2/32", $"[0:0] -A FORWARD -i {BridgeA} -o {BridgeA} -j DROP\n[0:0] -A DOCKER -d 172.17.0.2/32", StringComparison.Ordinal);

        var r = Explain(Ra, Rc, Rules(capture));

        Assert.Equal("blocked", r.Verdict);
        Assert.Equal($"-A FORWARD -i {BridgeA} -o {BridgeA} -j DROP", Decisive(r).Text);
        Assert.Contains("icc", r.Summary);
    }

    [Fact]
    public void UserDropForTheDestinationDecidesInDockerUser()
    {
        var capture = RefdockerCapture.IptablesSaveC.Replace("[2:168] -A DOCKER-USER -j RETURN", "[0:0] -A DOCKER-USER -d 192.168.144.3/32 -j DROP\n[2:168] -A DOCKER-USER -j RETURN", StringComparison.Ordinal);
        var rules = Rules(capture);

        var r = Explain(Ra, Rc, rules);

        Assert.Equal("blocked", r.Verdict);
        var d = Decisive(r);
        Assert.Equal(("DOCKER-USER", "-A DOCKER-USER -d 192.168.144.3/32 -j DROP"), (d.Chain, d.Text));
        Assert.Contains("DOCKER-USER", r.Summary);
        var owner = RuleOwnership.Classify(rules, AllNetworks, AllSandboxes).Table("ipv4", "filter")!.Chain("DOCKER-USER")!.Rules[0].Owner;
        Assert.Equal("user", owner.Kind);
        // Other destinations are untouched by that rule.
        Assert.Equal("blocked", Explain(Ra, Rb, rules).Verdict);
        Assert.Equal("DOCKER-ISOLATION-STAGE-2", Decisive(Explain(Ra, Rb, rules)).Chain);
    }

    [Fact]
    public void AfterConnectingToTheOtherNetworkTrafficIsAllowed()
    {
        var raOnBoth = Ra with { Endpoints = [.. Ra.Endpoints, Ep(B, "eth1", "192.168.160.3/20", gateway: false)] };

        var r = Explain(raOnBoth, Rb);

        Assert.Equal("allowed", r.Verdict);
        Assert.Equal($"-A FORWARD -i {BridgeB} -o {BridgeB} -j ACCEPT", Decisive(r).Text);
        Assert.Equal("ra: 192.168.160.2 dev eth1 (connected, network b)", r.Steps[0].Text);
    }

    [Fact]
    public void SandboxRoutesFromTheKernelChooseTheInterface()
    {
        var raOnBoth = Ra with { Endpoints = [.. Ra.Endpoints, Ep(B, "eth1", "192.168.160.3/20", gateway: false)] };
        IReadOnlyList<SandboxRoute> routes = [new("0.0.0.0/0", "192.168.144.1", "eth0"), new("192.168.144.0/20", null, "eth0"), new("192.168.160.0/20", null, "eth1")];

        var r = ReachabilityExplainer.Explain(raOnBoth, new("container", "rb", 0, ""), Rb, AllSandboxes, AllNetworks, Rules(), routes);

        Assert.Equal(("allowed", "ra: 192.168.160.2 dev eth1 (connected, network b)"), (r.Verdict, r.Steps[0].Text));
    }

    [Fact]
    public void PublishedPortFromTheManagedNamespaceIsDnatedAndAllowed()
    {
        var r = ReachabilityExplainer.Explain(null, ReachabilityTarget.Parse("host:8080")!, null, AllSandboxes, AllNetworks, Rules(), []);

        Assert.Equal(("host", "host:8080", "allowed"), (r.From, r.To, r.Verdict));
        Assert.Contains(r.Steps, s => s.Kind == "nat" && s.Text == "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80");
        Assert.Equal(("policy", "OUTPUT"), (Decisive(r).Kind, Decisive(r).Chain));
        Assert.Contains("8080/tcp → rp:80", r.Summary);

        var none = ReachabilityExplainer.Explain(null, ReachabilityTarget.Parse("host:9999")!, null, AllSandboxes, AllNetworks, Rules(), []);
        Assert.Equal(("blocked", "port"), (none.Verdict, Decisive(none).Kind));
    }

    [Fact]
    public void OutsideIsMasqueradedUnlessInternal()
    {
        var r = ReachabilityExplainer.Explain(Ra, ReachabilityTarget.Parse("outside")!, null, AllSandboxes, AllNetworks, Rules(), []);
        Assert.Equal("allowed", r.Verdict);
        Assert.Equal($"-A FORWARD -i {BridgeA} ! -o {BridgeA} -j ACCEPT", Decisive(r).Text);
        Assert.Contains(r.Steps, s => s.Kind == "nat" && s.Text == $"-A POSTROUTING -s 192.168.144.0/20 ! -o {BridgeA} -j MASQUERADE");

        // An internal network: no default route in the sandbox, and dockerd's isolation drops.
        var internalNet = Net("1234567890abffff", "int", "br-1234567890ab", "10.9.0.0/24", "10.9.0.1", isInternal: true);
        var capture = RefdockerCapture.IptablesSaveC.Replace("[0:0] -A DOCKER-ISOLATION-STAGE-1 -j RETURN",
            "[0:0] -A DOCKER-ISOLATION-STAGE-1 ! -d 10.9.0.0/24 -i br-1234567890ab -j DROP\n[0:0] -A DOCKER-ISOLATION-STAGE-1 -j RETURN", StringComparison.Ordinal);
        var sandbox = Sandbox("abcabcabcabc", "ri", Ep(internalNet, "eth0", "10.9.0.2/24", gateway: false));
        var noRoute = ReachabilityExplainer.Explain(sandbox, ReachabilityTarget.Parse("outside")!, null, [sandbox], [internalNet], Rules(capture), []);
        Assert.Equal(("blocked", "route"), (noRoute.Verdict, Decisive(noRoute).Kind));
        Assert.Contains("internal", noRoute.Summary);

        var withRoute = ReachabilityExplainer.Explain(sandbox, ReachabilityTarget.Parse("outside")!, null, [sandbox], [internalNet], Rules(capture),
            [new SandboxRoute("0.0.0.0/0", "10.9.0.1", "eth0")]);
        Assert.Equal(("blocked", "-A DOCKER-ISOLATION-STAGE-1 ! -d 10.9.0.0/24 -i br-1234567890ab -j DROP"), (withRoute.Verdict, Decisive(withRoute).Text));
    }

    [Fact]
    public void UnknownMatchesAreTakenAsNotMatchingWithANote()
    {
        var capture = RefdockerCapture.IptablesSaveC.Replace("[2:168] -A DOCKER-USER -j RETURN", "[0:0] -A DOCKER-USER -m physdev --physdev-is-bridged -j DROP\n[2:168] -A DOCKER-USER -j RETURN", StringComparison.Ordinal);

        var r = Explain(Ra, Rc, Rules(capture));

        Assert.Equal("allowed", r.Verdict);
        Assert.Contains(r.Steps, s => s.Kind == "note" && s.Text.Contains("-m physdev", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("outside", "outside", 0, "")]
    [InlineData("host:8080", "host", 8080, "tcp")]
    [InlineData("host:53/udp", "host", 53, "udp")]
    [InlineData("c2", "container", 0, "")]
    public void TargetsParse(string text, string kind, int port, string protocol)
    {
        var t = ReachabilityTarget.Parse(text)!;
        Assert.Equal((kind, port, protocol), (t.Kind, t.Port, t.Protocol));
    }

    [Theory]
    [InlineData("")]
    [InlineData("host:")]
    [InlineData("host:70000")]
    [InlineData("host:80/icmp")]
    public void MalformedTargetsAreRefused(string text) => Assert.Null(ReachabilityTarget.Parse(text));
}
