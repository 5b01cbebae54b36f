using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Drivers;
using NetPortal.Linux.Firewall.Nftables;

namespace NetPortal.Linux.Tests.Firewall.Nftables;

/// <summary>
/// What the table does to packets: real bridges and veths in a managed namespace, containers as namespaces,
/// pings only between namespaces the test made (see <see cref="NftTrafficLab"/>).
/// </summary>
public sealed class NftablesTrafficTests : IDisposable
{
    private const string BrA = "br-0000000000a1";
    private const string BrB = "br-0000000000b2";
    private const string BrI = "br-0000000000c3";

    private static readonly NetworkFirewallSpec A = Spec(BrA, 1);
    private static readonly NetworkFirewallSpec B = Spec(BrB, 2);
    private static readonly NetworkFirewallSpec I = Spec(BrI, 3) with { Internal = true };

    private readonly NftTrafficLab _lab;
    private readonly NftablesFirewall _firewall;
    private readonly string _c1;
    private readonly string _c2;
    private readonly string _c3;
    private readonly string _c4;

    public NftablesTrafficTests()
    {
        if (!string.IsNullOrEmpty(new NftablesFactAttribute().Skip))
        {
            _lab = null!;
            _firewall = null!;
            _c1 = _c2 = _c3 = _c4 = "";
            return;
        }

        _lab = new NftTrafficLab();
        _lab.Bridge(BrA, 1);
        _lab.Bridge(BrB, 2);
        _lab.Bridge(BrI, 3);
        _c1 = _lab.Container(BrA, 1, 2);
        _c2 = _lab.Container(BrA, 1, 3);
        _c3 = _lab.Container(BrB, 2, 2);
        _c4 = _lab.Container(BrI, 3, 2);
        _firewall = new NftablesFirewall(_lab.Managed.Run, NullLogger<NftablesFirewall>.Instance);
        _firewall.Initialize();
    }

    public void Dispose() => _lab?.Dispose();

    [NftablesFact]
    public void Same_bridge_ping_works_and_icc_off_blocks_it()
    {
        _firewall.AddNetwork(A);
        Assert.True(NftTrafficLab.Ping(_c1, "10.201.1.3"));

        _firewall.AddNetwork(A with { EnableIcc = false });
        Assert.False(NftTrafficLab.Ping(_c1, "10.201.1.3"));
        Assert.True(NftTrafficLab.Ping(_c1, NftTrafficLab.Outside), "icc off still lets containers out");

        _firewall.AddNetwork(A);
        Assert.True(NftTrafficLab.Ping(_c1, "10.201.1.3"));
    }

    [NftablesFact]
    public void Bridges_are_isolated_from_each_other_but_reach_the_outside_and_the_host()
    {
        _firewall.AddNetwork(A);
        _firewall.AddNetwork(B);

        Assert.False(NftTrafficLab.Ping(_c1, "10.201.2.2"));
        Assert.False(NftTrafficLab.Ping(_c3, "10.201.1.2"));
        Assert.True(NftTrafficLab.Ping(_c1, NftTrafficLab.Outside));
        Assert.True(NftTrafficLab.Ping(_c3, NftTrafficLab.Outside));

        // As with Docker, the other bridge's gateway is a host address: input, not forwarding.
        Assert.True(NftTrafficLab.Ping(_c1, "10.201.2.1"));
    }

    [NftablesFact]
    public void Internal_network_reaches_only_its_own_bridge()
    {
        _firewall.AddNetwork(A);
        _firewall.AddNetwork(I);
        var c5 = _lab.Container(BrI, 3, 3);

        Assert.True(NftTrafficLab.Ping(_c4, "10.201.3.3"));
        Assert.False(NftTrafficLab.Ping(_c4, "10.201.1.2"), "internal to the managed namespace's other bridge");
        Assert.False(NftTrafficLab.Ping(_c1, "10.201.3.2"), "other bridge into the internal one");
        Assert.False(NftTrafficLab.Ping(_c4, NftTrafficLab.Outside));
    }

    [NftablesFact]
    public void Masquerade_off_leaves_the_container_address_so_the_outside_cannot_answer()
    {
        _firewall.AddNetwork(A with { EnableMasquerade = false });
        Assert.False(NftTrafficLab.Ping(_c1, NftTrafficLab.Outside));

        _firewall.AddNetwork(A);
        Assert.True(NftTrafficLab.Ping(_c1, NftTrafficLab.Outside));
    }

    [NftablesFact]
    public void Forward_policy_drop_stops_unsolicited_traffic_into_a_bridge_but_not_replies()
    {
        _firewall.AddNetwork(A);
        NftTrafficLab.Ip("-n", _lab.OutsideNs, "route", "add", "10.201.1.0/24", "via", "10.201.9.1");
        Assert.True(NftTrafficLab.Ping(_lab.OutsideNs, "10.201.1.2"), "policy accept: routed in, as with iptables' FORWARD ACCEPT");

        _firewall.DropUnmatchedForwarding();
        _firewall.Initialize();

        Assert.False(NftTrafficLab.Ping(_lab.OutsideNs, "10.201.1.2"));
        Assert.True(NftTrafficLab.Ping(_c1, NftTrafficLab.Outside));
    }

    [NftablesFact]
    public void A_drop_in_the_user_chain_drops_and_survives_everything()
    {
        _firewall.AddNetwork(A);
        Assert.True(NftTrafficLab.Ping(_c1, NftTrafficLab.Outside));
        _lab.Managed.Must("nft", "add", "rule", "ip", "netportal", "user-forward", "ip", "daddr", NftTrafficLab.Outside, "drop");

        Assert.False(NftTrafficLab.Ping(_c1, NftTrafficLab.Outside));
        _firewall.Initialize();
        _firewall.Reconcile([A, I]);
        _firewall.AddNetwork(B);
        _firewall.RemoveNetwork(I);
        _firewall.RemoveNetwork(B);
        Assert.False(NftTrafficLab.Ping(_c1, NftTrafficLab.Outside));

        _lab.Managed.Must("nft", "flush", "chain", "ip", "netportal", "user-forward");
        Assert.True(NftTrafficLab.Ping(_c1, NftTrafficLab.Outside));
    }

    private static NetworkFirewallSpec Spec(string bridge, int n) =>
        new($"net-{n}", bridge, [$"10.201.{n}.0/24"], [], Internal: false, EnableIcc: true, EnableMasquerade: true, HostBindingIPv4: "0.0.0.0");
}
