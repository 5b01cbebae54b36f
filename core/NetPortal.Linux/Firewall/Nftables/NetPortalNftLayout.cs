using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;
using NetPortal.Core.Ports;

namespace NetPortal.Linux.Firewall.Nftables;

/// <summary>
/// NetPortal's nftables ruleset as data. Base chains use Docker 29's hooks and priorities (filter-FORWARD at
/// filter, nat-PREROUTING and nat-OUTPUT at dstnat/-100, nat-POSTROUTING at srcnat), but where Docker 29 adds
/// a chain per bridge and verdict-map jumps into it, every policy here is one fixed rule that looks the
/// interfaces up in sets: a network is a handful of set elements, the rule count never grows, and each packet
/// costs the same few hash lookups however many networks exist.
/// </summary>
internal static class NetPortalNftLayout
{
    public const string TableName = "netportal";
    public const string Forward = "filter-FORWARD";
    public const string UserChain = "user-forward";

    // Every bridge (for this family), and the pair (br . br) that stands for "in and out the same bridge":
    // nft cannot compare iifname with oifname, but it can look the pair up.
    public const string Bridges = "bridges";
    public const string SameBridge = "same-bridge";
    public const string Internal = "internal";
    public const string NoIcc = "no-icc";

    // Bridges whose traffic skips DNAT (dockerd's "-t nat -A DOCKER -i br -j RETURN", set with masquerading).
    public const string SkipDnat = "skip-dnat";

    // subnet . bridge of masquerading networks.
    public const string MasqSubnets = "masq-subnets";

    // Published ports, one element per mapping (filled through the port interface, not by networks).
    public const string PublishedPorts = "published-ports";
    public const string PublishedPortsAny = "published-ports-any";
    public const string Published = "published";

    // bridge . proto . host port: traffic from the mapping's own bridge is not DNATed (dockerd's "! -i br" on DNAT).
    public const string DnatOwnBridge = "dnat-own-bridge";

    // container . container . proto . port: a container reaching its own published port through the host gets masqueraded.
    public const string PublishedHairpin = "published-hairpin";

    // Holds "lo" when the daemon runs with --userland-proxy=false: connections to a published port on the managed
    // namespace's loopback are then DNATed like dockerd's hairpin mode (its OUTPUT jump without ! -d 127.0.0.0/8);
    // empty otherwise, so the userland proxy serves loopback. A set keeps the ruleset the same in both modes.
    public const string HairpinLoopback = "hairpin-loopback";

    public static readonly NftTable Ip = Table(NftFamily.Ip);
    public static readonly NftTable Ip6 = Table(NftFamily.Ip6);

    public static IEnumerable<NftTable> Tables => [Ip, Ip6];

    private static NftTable Table(NftFamily f)
    {
        var addr = f.AddressType;
        string[] ifname = ["ifname"];
        NftSet[] sets =
        [
            new(Bridges, ifname),
            new(SameBridge, ["ifname", "ifname"]),
            new(Internal, ifname),
            new(NoIcc, ifname),
            new(SkipDnat, ifname),
            new(MasqSubnets, [addr, "ifname"], Interval: true),
            new(PublishedPorts, ["inet_proto", addr, "inet_service"], DataType: [addr, "inet_service"], PerNetwork: false),
            new(PublishedPortsAny, ["inet_proto", "inet_service"], DataType: [addr, "inet_service"], PerNetwork: false),
            new(Published, [addr, "inet_proto", "inet_service"], PerNetwork: false),
            new(DnatOwnBridge, ["ifname", "inet_proto", "inet_service"], PerNetwork: false),
            new(PublishedHairpin, [addr, addr, "inet_proto", "inet_service"], PerNetwork: false),
            new(HairpinLoopback, ifname, PerNetwork: false),
        ];

        const string between = "iifname . oifname";
        NftChain[] chains =
        [
            new(Forward,
            [
                // DOCKER-USER's place: first, so the user's drop/accept decides before anything of ours.
                new("jump " + UserChain, "user"),

                // DOCKER-ISOLATION-STAGE-1/2: bridge to another bridge is dropped, before conntrack (as in dockerd 20.10).
                new($"iifname @{Bridges} oifname @{Bridges} {between} != @{SameBridge} drop", "isolation"),

                // Internal networks: nothing leaves or enters the bridge except within it.
                new($"iifname @{Internal} {between} != @{SameBridge} drop", "internal-egress"),
                new($"oifname @{Internal} {between} != @{SameBridge} drop", "internal-ingress"),

                new($"oifname @{Bridges} ct state established,related accept", "established"),
                new($"{between} @{SameBridge} oifname @{NoIcc} drop", "icc-off"),
                new($"{between} @{SameBridge} accept", "icc"),

                // dockerd's DOCKER chain: a published container port is reachable from outside the bridge.
                new($"oifname @{Bridges} {f.Match} daddr . meta l4proto . th dport @{Published} accept", "published"),

                // Outbound: from a (non-internal, see above) bridge to anywhere else.
                new($"iifname @{Bridges} accept", "outgoing"),
            ], "filter", "forward", "filter", 0),
            new("nat-PREROUTING",
            [
                new("fib daddr type local jump nat-published", "published-dnat"),
            ], "nat", "prerouting", "dstnat", -100),

            // nft accepts the dstnat keyword at prerouting only; Docker 29 writes -100 here too.
            new("nat-OUTPUT",
            [
                new($"{f.Match} daddr != {f.Loopback} fib daddr type local jump nat-published", "published-dnat"),
                new($"oifname @{HairpinLoopback} {f.Match} daddr {f.Loopback} fib daddr type local jump nat-published", "published-dnat-loopback"),
            ], "nat", "output", "-100", -100),
            new("nat-POSTROUTING",
            [
                // From a masquerading subnet on its bridge, leaving through any other interface.
                new($"{f.Match} saddr . iifname @{MasqSubnets} {f.Match} saddr . oifname != @{MasqSubnets} masquerade", "masquerade"),
                new($"{f.Match} saddr . {f.Match} daddr . meta l4proto . th dport @{PublishedHairpin} masquerade", "published-hairpin"),
                // Loopback-sourced packets DNATed into a bridge (hairpin mode only) need a routable source
                // (dockerd: -o br -m addrtype --src-type LOCAL -j MASQUERADE); in proxy mode none exist.
                new($"oifname @{Bridges} {f.Match} saddr {f.Loopback} masquerade", "hairpin-loopback-masquerade"),
            ], "nat", "postrouting", "srcnat", 100),
            new("nat-published",
            [
                new($"iifname @{SkipDnat} return", "skip-dnat"),
                new($"iifname . meta l4proto . th dport @{DnatOwnBridge} return", "dnat-own-bridge"),
                new($"dnat {f.Match} to meta l4proto . {f.Match} daddr . th dport map @{PublishedPorts}", "dnat-host-address"),
                new($"dnat {f.Match} to meta l4proto . th dport map @{PublishedPortsAny}", "dnat-any-address"),
            ]),
            new(UserChain, [], UserOwned: true),
        ];

        return new NftTable(f, TableName, sets, chains);
    }

    /// <summary>
    /// The elements one network puts into one family's table (none in ip6 without an IPv6 subnet), and the
    /// bridge's elements it must not have there (an earlier icc or masquerade setting).
    /// </summary>
    public static (IReadOnlyList<NftElement> Present, IReadOnlyList<NftElement> Absent) ForNetwork(NetworkFirewallSpec network, NftFamily family, bool hairpin = false)
    {
        var br = Quote(DockerIptablesRules.ValidBridgeName(network.BridgeName));
        var subnets = (family.IsV6 ? network.SubnetsV6 : network.SubnetsV4)
            .Select(s => DockerIptablesRules.NormalizeSubnet(s, family.IsV6)).ToList();
        var present = new List<NftElement>();
        var absent = new List<NftElement>();
        if (subnets.Count == 0)
        {
            return (present, absent);
        }

        present.Add(new(Bridges, br));
        present.Add(new(SameBridge, $"{br} . {br}"));
        (network.Internal ? present : absent).Add(new(Internal, br));
        (network.EnableIcc ? absent : present).Add(new(NoIcc, br));

        // dockerd 20.10 ignores ip-masq on internal networks: they get neither masquerade nor the DNAT skip.
        var masquerade = network.EnableMasquerade && !network.Internal;
        // Hairpin mode (--userland-proxy=false): containers reach published ports of their own bridge by DNAT, as
        // dockerd drops its "-i br -j RETURN" then.
        (masquerade && !hairpin ? present : absent).Add(new(SkipDnat, br));
        foreach (var subnet in subnets)
        {
            (masquerade ? present : absent).Add(new(MasqSubnets, $"{subnet} . {br}"));
        }

        return (present, absent);
    }

    /// <summary>
    /// The elements of one published port in <paramref name="family"/>'s table: none when the container address is
    /// of the other family, or the host address is (a [::] twin of an IPv4 mapping is the userland proxy's alone).
    /// </summary>
    public static IReadOnlyList<NftElement> ForPortMapping(string bridgeName, PortMapping mapping, NftFamily family, bool hairpin = false)
    {
        var br = Quote(DockerIptablesRules.ValidBridgeName(bridgeName));
        var proto = mapping.Protocol is "tcp" or "udp" or "sctp"
            ? mapping.Protocol
            : throw NetPortalException.InvalidParameter($"invalid protocol {mapping.Protocol}");
        var container = Address(mapping.ContainerIp, "container");
        var host = Address(mapping.HostIp, "host");
        var want = family.IsV6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        if (container.AddressFamily != want || host.AddressFamily != want)
        {
            return [];
        }

        var hostPort = Port(mapping.HostPort);
        var containerPort = Port(mapping.ContainerPort);
        var destination = $"{container} . {containerPort}";
        var wildcard = host.Equals(IPAddress.Any) || host.Equals(IPAddress.IPv6Any);
        var elements = new List<NftElement>
        {
            wildcard
                ? new NftElement(PublishedPortsAny, $"{proto} . {hostPort}", destination)
                : new NftElement(PublishedPorts, $"{proto} . {host} . {hostPort}", destination),
        };
        // dockerd's "! -i br" on DNAT, which hairpin mode leaves out so the bridge's own containers are DNATed too.
        if (!hairpin) elements.Add(new(DnatOwnBridge, $"{br} . {proto} . {hostPort}"));
        elements.Add(new(Published, $"{container} . {proto} . {containerPort}"));
        elements.Add(new(PublishedHairpin, $"{container} . {container} . {proto} . {containerPort}"));
        return elements;
    }

    /// <summary>Every element a bridge can have in a network set (for removal, whatever the spec said then).</summary>
    public static IReadOnlyList<NftElement> AllOfBridge(NetworkFirewallSpec network, NftFamily family)
    {
        var (present, absent) = ForNetwork(network with { Internal = false, EnableIcc = true, EnableMasquerade = true }, family);
        var (present2, absent2) = ForNetwork(network with { Internal = true, EnableIcc = false }, family);
        return present.Concat(absent).Concat(present2).Concat(absent2).Distinct().ToList();
    }

    public static string Quote(string ifname) => $"\"{ifname}\"";

    private static IPAddress Address(string text, string what) =>
        IPAddress.TryParse(text, out var a) ? a : throw NetPortalException.InvalidParameter($"invalid {what} address {text}");

    private static string Port(int port) =>
        port is > 0 and <= 65535 ? port.ToString(CultureInfo.InvariantCulture) : throw NetPortalException.InvalidParameter($"invalid port {port}");
}
