using NetPortal.Core.Insight;
using NetPortal.Core.Ports;

namespace NetPortal.Core.Tests.Insight;

/// <summary>The networks and sandboxes of <see cref="RefdockerCapture"/>, as the insight views see them.</summary>
internal static class InsightSamples
{
    public const string BridgeA = "br-679d5b4bb7e5";
    public const string BridgeB = "br-09f1897aa72e";

    public static readonly InsightNetwork A = Net("679d5b4bb7e5aaaa", "a", BridgeA, "192.168.144.0/20", "192.168.144.1");
    public static readonly InsightNetwork B = Net("09f1897aa72ebbbb", "b", BridgeB, "192.168.160.0/20", "192.168.160.1");
    public static readonly InsightNetwork Default = Net("49113324a8e5cccc", "bridge", "docker0", "172.17.0.0/16", "172.17.0.1");

    public static IReadOnlyList<InsightNetwork> AllNetworks => [A, B, Default];

    public static readonly InsightSandbox Ra = Sandbox("408b1cd42646", "ra", Ep(A, "eth0", "192.168.144.2/20", gateway: true));
    public static readonly InsightSandbox Rb = Sandbox("53014020613d", "rb", Ep(B, "eth0", "192.168.160.2/20", gateway: true));
    public static readonly InsightSandbox Rc = Sandbox("77777777aaaa", "rc", Ep(A, "eth0", "192.168.144.3/20", gateway: true));
    public static readonly InsightSandbox Rp = Sandbox("dcb1cdcfc0e4", "rp", Ep(Default, "eth0", "172.17.0.2/16", gateway: true)) with
    {
        Ports = [new PortMapping("tcp", "0.0.0.0", 8080, "172.17.0.2", 80)],
    };

    public static IReadOnlyList<InsightSandbox> AllSandboxes => [Ra, Rb, Rc, Rp];

    public static FirewallRuleset Rules(string? text = null) =>
        FirewallRuleset.Parse("iptables", [new RulesDump("ipv4", RulesDump.IptablesSave, text ?? RefdockerCapture.IptablesSaveC)]);

    public static InsightNetwork Net(string id, string name, string bridge, string subnet, string gateway, bool isInternal = false) =>
        new(id, name, "bridge", bridge, isInternal, [subnet], [gateway], Icc: true, Masquerade: !isInternal);

    public static InsightEndpoint Ep(InsightNetwork n, string iface, string ipv4, bool gateway) =>
        new(n.Id, n.Name, iface, "veth" + iface, "02:42:00:00:00:01", ipv4, "", gateway) { Gateway = n.Gateways[0] };

    public static InsightSandbox Sandbox(string id, string name, params InsightEndpoint[] endpoints) =>
        new(id + new string('0', 52), name, "running", endpoints[0].NetworkName, "/run/netns/" + name, endpoints, []);
}
