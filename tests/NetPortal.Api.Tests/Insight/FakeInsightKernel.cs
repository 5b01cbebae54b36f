using NetPortal.Core.Drivers;
using NetPortal.Core.Insight;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Api.Tests.Insight;

/// <summary>The kernel as the insight views read it, set by the test: interfaces, sandbox routes and an iptables-save text.</summary>
public sealed class FakeInsightKernel : IHostInterfaces, ISandboxRoutes, IFirewallInspector
{
    public string NamespacePath => "/var/run/netns/netportal-test";

    public List<HostInterface> Interfaces { get; } = [new("lo", "", true, 65536, ["127.0.0.1/8"], null)];

    public string IptablesSave { get; set; } = "";

    public string Backend => "iptables";

    public IReadOnlyList<HostInterface> List() => Interfaces.ToList();

    public IReadOnlyList<SandboxRoute> Routes(SandboxInfo sandbox) => [];

    public IReadOnlyList<RulesDump> Dump() => [new RulesDump("ipv4", RulesDump.IptablesSave, IptablesSave)];

    public IReadOnlyList<ExpectedRule> ExpectedRules(NetworkFirewallSpec network) =>
        [new ExpectedRule("ipv4", "filter", "FORWARD", $"-o {network.BridgeName} -j DOCKER")];

    /// <summary>dockerd's filter rules for the given bridges, as iptables-save -c prints them.</summary>
    public static string DockerRules(params string[] bridges)
    {
        var forward = string.Concat(bridges.Select(b =>
            $"[0:0] -A FORWARD -o {b} -j DOCKER\n[0:0] -A FORWARD -i {b} ! -o {b} -j ACCEPT\n[0:0] -A FORWARD -i {b} -o {b} -j ACCEPT\n"));
        var stage1 = string.Concat(bridges.Select(b => $"[0:0] -A DOCKER-ISOLATION-STAGE-1 -i {b} ! -o {b} -j DOCKER-ISOLATION-STAGE-2\n"));
        var stage2 = string.Concat(bridges.Select(b => $"[3:252] -A DOCKER-ISOLATION-STAGE-2 -o {b} -j DROP\n"));
        return "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:DOCKER - [0:0]\n:DOCKER-ISOLATION-STAGE-1 - [0:0]\n"
            + ":DOCKER-ISOLATION-STAGE-2 - [0:0]\n:DOCKER-USER - [0:0]\n[0:0] -A FORWARD -j DOCKER-USER\n[0:0] -A FORWARD -j DOCKER-ISOLATION-STAGE-1\n"
            + forward + stage1 + "[0:0] -A DOCKER-ISOLATION-STAGE-1 -j RETURN\n" + stage2 + "[0:0] -A DOCKER-ISOLATION-STAGE-2 -j RETURN\n"
            + "[0:0] -A DOCKER-USER -j RETURN\nCOMMIT\n";
    }
}
