using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NetPortal.Core.Errors;
using NetPortal.Core.Ports;

namespace NetPortal.Linux.Firewall;

/// <summary>
/// Published ports as dockerd 20.10 writes them (libnetwork portmapper.forward / iptables.Forward): per mapping,
/// -A nat DOCKER DNAT, -A filter DOCKER ACCEPT and -A nat POSTROUTING MASQUERADE (so a container reaching its own
/// published port through the host gets its reply back). Spelled as iptables-save prints them.
/// </summary>
internal static partial class DockerIptablesRules
{
    public const string PostRouting = "POSTROUTING";

    /// <summary>
    /// The three rules of one mapping in dockerd's order, or none when the mapping has no NAT in this family:
    /// a [::] twin that targets an IPv4 container address is served by the userland proxy alone (dockerd 20.10),
    /// and a mapping is only ever in the family of its container address.
    /// </summary>
    /// <param name="hairpin">dockerd's --userland-proxy=false: DNAT also applies to packets coming from the bridge
    /// (containers reach each other's published ports through the host address), so no "! -i bridge".</param>
    public static IReadOnlyList<IptablesRule> ForPortMapping(string bridgeName, PortMapping mapping, bool hairpin, bool ipv6)
    {
        var br = ValidBridgeName(bridgeName);
        var proto = mapping.Protocol switch
        {
            "tcp" or "udp" or "sctp" => mapping.Protocol,
            _ => throw NetPortalException.InvalidParameter($"invalid protocol {mapping.Protocol}"),
        };
        var container = ParseAddress(mapping.ContainerIp, "container");
        var host = ParseAddress(mapping.HostIp, "host");
        var family = ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        if (container.AddressFamily != family || host.AddressFamily != family)
        {
            return [];
        }

        var hostPort = ValidPort(mapping.HostPort);
        var containerPort = ValidPort(mapping.ContainerPort);
        var bits = ipv6 ? "/128" : "/32";
        var containerAddress = container.ToString();
        var destination = ipv6 ? $"[{containerAddress}]:{containerPort}" : $"{containerAddress}:{containerPort}";

        // A wildcard host address matches every local address (PREROUTING/OUTPUT only jump to DOCKER for
        // --dst-type LOCAL), so dockerd leaves out -d; a specific one is matched exactly.
        var onlyTo = host.Equals(IPAddress.Any) || host.Equals(IPAddress.IPv6Any) ? "" : $"-d {host}{bits} ";
        var notFromBridge = hairpin ? "" : $"! -i {br} ";
        return
        [
            new(Nat, DockerChain, $"{onlyTo}{notFromBridge}-p {proto} -m {proto} --dport {hostPort} -j DNAT --to-destination {destination}"),
            new(Filter, DockerChain, $"-d {containerAddress}{bits} ! -i {br} -o {br} -p {proto} -m {proto} --dport {containerPort} -j ACCEPT"),
            new(Nat, PostRouting, $"-s {containerAddress}{bits} -d {containerAddress}{bits} -p {proto} -m {proto} --dport {containerPort} -j MASQUERADE"),
        ];
    }

    /// <summary>
    /// True for the shapes <see cref="ForPortMapping"/> makes. Reconcile leaves these to their owner (the port
    /// publisher): a port rule belongs to a container's endpoint, not to a network.
    /// </summary>
    public static bool IsPortRule(IptablesRule rule) => (rule.Table, rule.Chain) switch
    {
        (Nat, DockerChain) => DnatShape().IsMatch(rule.Spec),
        (Filter, DockerChain) => AcceptShape().IsMatch(rule.Spec),
        (Nat, PostRouting) => HairpinMasqueradeShape().IsMatch(rule.Spec),
        _ => false,
    };

    private static IPAddress ParseAddress(string text, string what) =>
        IPAddress.TryParse(text, out var a) && a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a)
            : throw NetPortalException.InvalidParameter($"invalid {what} address {text}");

    private static string ValidPort(int port) =>
        port is >= 1 and <= 65535 ? port.ToString(CultureInfo.InvariantCulture) : throw NetPortalException.InvalidParameter($"invalid port {port}");

    [GeneratedRegex(@"^(?:-d \S+ )?(?:! -i \S+ )?-p (?<p>tcp|udp|sctp) -m \k<p> --dport \d+ -j DNAT --to-destination \S+$")]
    private static partial Regex DnatShape();

    [GeneratedRegex(@"^-d \S+ ! -i (?<b>\S+) -o \k<b> -p (?<p>tcp|udp|sctp) -m \k<p> --dport \d+ -j ACCEPT$")]
    private static partial Regex AcceptShape();

    [GeneratedRegex(@"^-s (?<a>\S+) -d \k<a> -p (?<p>tcp|udp|sctp) -m \k<p> --dport \d+ -j MASQUERADE$")]
    private static partial Regex HairpinMasqueradeShape();
}
