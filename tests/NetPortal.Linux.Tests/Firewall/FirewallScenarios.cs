using NetPortal.Core.Drivers;

namespace NetPortal.Linux.Tests.Firewall;

/// <summary>
/// The networks created on the reference dockerd 20.10 to capture testdata/iptables (bridge names fixed with
/// com.docker.network.bridge.name so the captures are reproducible), and the golden file after each step.
/// </summary>
internal static class FirewallScenarios
{
    public static readonly NetworkFirewallSpec Docker0 = Bridge("docker0", "172.17.0.0/16");
    public static readonly NetworkFirewallSpec MyBridge = Bridge("br-000000000001", "10.1.1.0/24");
    public static readonly NetworkFirewallSpec Internal = Bridge("br-000000000002", "10.2.2.0/24") with { Internal = true };
    public static readonly NetworkFirewallSpec NoIcc = Bridge("br-000000000003", "10.3.3.0/24") with { EnableIcc = false };
    public static readonly NetworkFirewallSpec NoMasquerade = Bridge("br-000000000004", "10.4.4.0/24") with { EnableMasquerade = false };
    public static readonly NetworkFirewallSpec InternalNoIcc = Bridge("br-000000000006", "10.6.6.0/24") with { Internal = true, EnableIcc = false };
    public static readonly NetworkFirewallSpec NoIccNoMasquerade = Bridge("br-000000000007", "10.7.7.0/24") with { EnableIcc = false, EnableMasquerade = false };

    public static readonly NetworkFirewallSpec Dual = Bridge("br-000000000011", "10.1.1.0/24", "fd00:1::/64");
    public static readonly NetworkFirewallSpec DualInternal = Bridge("br-000000000012", "10.2.2.0/24", "fd00:2::/64") with { Internal = true };
    public static readonly NetworkFirewallSpec DualNoIccNoMasquerade = Bridge("br-000000000013", "10.3.3.0/24", "fd00:3::/64") with { EnableIcc = false, EnableMasquerade = false };

    /// <summary>docker0 first (dockerd's start-up), then user networks, then removals; golden = expected iptables-save after the step.</summary>
    public static readonly (string Step, NetworkFirewallSpec Network, string Golden)[] V4 =
    [
        ("add", Docker0, "00-default"),
        ("add", MyBridge, "01-mybridge"),
        ("add", Internal, "02-internal"),
        ("add", NoIcc, "03-noicc"),
        ("add", NoMasquerade, "04-nomasq"),
        ("add", InternalNoIcc, "05-internal-noicc"),
        ("add", NoIccNoMasquerade, "06-noicc-nomasq"),
        ("remove", MyBridge, "07-rm-mybridge"),
        ("remove", Internal, ""),
        ("remove", NoIcc, ""),
        ("remove", NoMasquerade, ""),
        ("remove", InternalNoIcc, ""),
        ("remove", NoIccNoMasquerade, "08-rm-all"),
    ];

    /// <summary>Captured from dockerd 20.10 with --experimental --ip6tables; v6 goldens are ours (see testdata/iptables/README.md).</summary>
    public static readonly (string Step, NetworkFirewallSpec Network, string Golden)[] Dual6 =
    [
        ("add", Docker0, ""),
        ("add", Dual, "11-v6"),
        ("add", DualInternal, "12-v6-internal"),
        ("add", DualNoIccNoMasquerade, "13-v6-noicc-nomasq"),
    ];

    public static void Apply(IFirewall firewall, string step, NetworkFirewallSpec network)
    {
        if (step == "add")
        {
            firewall.AddNetwork(network);
        }
        else
        {
            firewall.RemoveNetwork(network);
        }
    }

    private static NetworkFirewallSpec Bridge(string name, string v4, string? v6 = null) =>
        new(name.Replace("br-", "net-", StringComparison.Ordinal), name, [v4], v6 is null ? [] : [v6],
            Internal: false, EnableIcc: true, EnableMasquerade: true, HostBindingIPv4: "0.0.0.0");
}
