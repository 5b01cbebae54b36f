using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;

namespace NetPortal.Linux.Firewall;

/// <summary>
/// dockerd 20.10's iptables rules as data (libnetwork drivers/bridge/setup_ip_tables.go, iptables.go, firewall_linux.go).
/// Specs are spelled as iptables-save prints them, so they compare equal to the kernel's view.
/// </summary>
internal static partial class DockerIptablesRules
{
    public const string Filter = "filter";
    public const string Nat = "nat";
    public const string Forward = "FORWARD";
    public const string DockerChain = "DOCKER";
    public const string Isolation1 = "DOCKER-ISOLATION-STAGE-1";
    public const string Isolation2 = "DOCKER-ISOLATION-STAGE-2";
    public const string UserChain = "DOCKER-USER";

    public static readonly IptablesRule UserJump = new(Filter, Forward, "-j " + UserChain);
    public static readonly IptablesRule IsolationJump = new(Filter, Forward, "-j " + Isolation1);

    /// <summary>
    /// Base chains and jumps. DOCKER-USER gets its RETURN only when created: after that the chain is the
    /// user's. The OUTPUT jump skips loopback destinations with the userland proxy (the proxy listens there);
    /// in hairpin mode (--userland-proxy=false) 127.0.0.1:port is DNATed too, so the jump has no "! -d".
    /// </summary>
    public static void EnsureBase(IptablesBatch batch, bool ipv6, bool hairpin = false)
    {
        batch.EnsureChain(Filter, DockerChain);
        foreach (var chain in new[] { Isolation1, Isolation2 })
        {
            batch.EnsureChain(Filter, chain);
            batch.Apply(new IptablesCommand(IptablesAction.Append, new IptablesRule(Filter, chain, "-j RETURN")));
        }

        if (batch.EnsureChain(Filter, UserChain))
        {
            batch.Apply(new IptablesCommand(IptablesAction.Append, new IptablesRule(Filter, UserChain, "-j RETURN")));
        }

        batch.EnsureChain(Nat, DockerChain);
        batch.Apply(new IptablesCommand(IptablesAction.Append, new IptablesRule(Nat, "PREROUTING", "-m addrtype --dst-type LOCAL -j DOCKER")));
        var loopback = ipv6 ? "::1/128" : "127.0.0.0/8";
        var proxyOutput = new IptablesRule(Nat, "OUTPUT", $"! -d {loopback} -m addrtype --dst-type LOCAL -j DOCKER");
        var hairpinOutput = new IptablesRule(Nat, "OUTPUT", "-m addrtype --dst-type LOCAL -j DOCKER");
        // A restart with the other userland-proxy setting swaps the jump (both would DNAT twice).
        batch.DeleteAll(hairpin ? proxyOutput : hairpinOutput);
        batch.Apply(new IptablesCommand(IptablesAction.Append, hairpin ? hairpinOutput : proxyOutput));

        if (!batch.State.Contains(IsolationJump))
        {
            batch.Insert(IsolationJump);
        }

        // DOCKER-USER must see every forwarded packet first; only our jump moves, the user's rules stay as they are.
        var forward = batch.State.Rules(Filter, Forward);
        if (forward.Count == 0 || forward[0] != UserJump.Spec)
        {
            batch.MoveToTop(UserJump);
        }
    }

    /// <summary>
    /// After a network's -I rules went to the top of FORWARD, dockerd moves the isolation jump and then the
    /// DOCKER-USER jump back on top (EnsureJumpRule), so FORWARD always starts with those two.
    /// </summary>
    public static void EnsureForwardHead(IptablesBatch batch)
    {
        var forward = batch.State.Rules(Filter, Forward);
        if (forward.Count >= 2 && forward[0] == UserJump.Spec && forward[1] == IsolationJump.Spec)
        {
            return;
        }

        batch.MoveToTop(IsolationJump);
        batch.MoveToTop(UserJump);
    }

    /// <summary>
    /// The commands dockerd issues for one bridge network and one family, in its order; ip6tables gets
    /// the same shapes with the IPv6 subnet (what dockerd 20.10 does with --ip6tables).
    /// </summary>
    public static IReadOnlyList<IptablesCommand> ForNetwork(NetworkFirewallSpec network, bool ipv6, bool hairpin = false)
    {
        var br = ValidBridgeName(network.BridgeName);
        var subnets = (ipv6 ? network.SubnetsV6 : network.SubnetsV4).Select(s => NormalizeSubnet(s, ipv6)).ToList();
        var commands = new List<IptablesCommand>();
        void Insert(string table, string chain, string spec) => commands.Add(new(IptablesAction.Insert, new(table, chain, spec)));

        if (network.Internal)
        {
            // dockerd uses the bridge's one subnet; with several, per-subnet "! -s" drops would cut them off from each other.
            if (subnets.Count > 0)
            {
                Insert(Filter, Isolation1, $"! -d {subnets[0]} -i {br} -j DROP");
                Insert(Filter, Isolation1, $"! -s {subnets[0]} -o {br} -j DROP");
            }

            AddIcc(commands, br, network.EnableIcc);
            return commands;
        }

        if (network.EnableMasquerade)
        {
            foreach (var subnet in subnets)
            {
                Insert(Nat, "POSTROUTING", $"-s {subnet} ! -o {br} -j MASQUERADE");
            }

            // Skip DNAT for traffic from the bridge itself (dockerd only sets this with masquerading, without hairpin).
            if (!hairpin)
            {
                Insert(Nat, DockerChain, $"-i {br} -j RETURN");
            }
        }

        if (hairpin)
        {
            // Hairpin: connections from the host's own addresses (127.0.0.1 with route_localnet) DNATed into the
            // bridge must leave with the bridge address as source, or the container answers to its own loopback.
            Insert(Nat, "POSTROUTING", $"-o {br} -m addrtype --src-type LOCAL -j MASQUERADE");
        }

        AddIcc(commands, br, network.EnableIcc);
        Insert(Filter, Forward, $"-i {br} ! -o {br} -j ACCEPT");
        Insert(Filter, Forward, $"-o {br} -j DOCKER");
        Insert(Filter, Forward, $"-o {br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        Insert(Filter, Isolation1, $"-i {br} ! -o {br} -j {Isolation2}");
        Insert(Filter, Isolation2, $"-o {br} -j DROP");
        return commands;
    }

    /// <summary>The bridge a rule was made for, when the rule has one of the shapes <see cref="ForNetwork"/> makes.</summary>
    public static bool TryGetBridge(IptablesRule rule, out string bridge)
    {
        var match = (rule.Table, rule.Chain) switch
        {
            (Filter, Forward) => ForwardShape().Match(rule.Spec),
            (Filter, Isolation1) => Isolation1Shape().Match(rule.Spec),
            (Filter, Isolation2) => Isolation2Shape().Match(rule.Spec),
            (Nat, "POSTROUTING") => MasqueradeShape().Match(rule.Spec),
            (Nat, DockerChain) => SkipDnatShape().Match(rule.Spec),
            _ => Match.Empty,
        };
        bridge = match.Success ? match.Groups["b"].Value : "";
        return match.Success;
    }

    /// <summary>Names dockerd gives bridges (docker0, br- plus 12 hex digits of the network id).</summary>
    public static bool IsDockerBridgeName(string name) => DockerBridgeName().IsMatch(name);

    public static string ValidBridgeName(string name) =>
        InterfaceName().IsMatch(name) ? name : throw NetPortalException.InvalidParameter($"invalid bridge name {name}");

    /// <summary>Network address with host bits cleared, printed as iptables-save prints it (10.1.1.0/24, fd00:1::/64).</summary>
    public static string NormalizeSubnet(string cidr, bool ipv6)
    {
        var slash = cidr.IndexOf('/');
        var family = ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        var bits = ipv6 ? 128 : 32;
        if (slash < 0 || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var address) || address.AddressFamily != family
            || !int.TryParse(cidr.AsSpan(slash + 1), out var prefix) || prefix < 0 || prefix > bits)
        {
            throw NetPortalException.InvalidParameter($"invalid {(ipv6 ? "IPv6" : "IPv4")} subnet {cidr}");
        }

        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return $"{new IPAddress(bytes)}/{prefix}";
    }

    private static void AddIcc(List<IptablesCommand> commands, string br, bool enableIcc)
    {
        // dockerd's setIcc: drop the opposite rule, then -I ACCEPT (icc on) or -A DROP (icc off, so it lands at the end of FORWARD).
        var accept = new IptablesRule(Filter, Forward, $"-i {br} -o {br} -j ACCEPT");
        var drop = new IptablesRule(Filter, Forward, $"-i {br} -o {br} -j DROP");
        commands.Add(enableIcc ? new(IptablesAction.Delete, drop) : new(IptablesAction.Delete, accept));
        commands.Add(enableIcc ? new(IptablesAction.Insert, accept) : new(IptablesAction.Append, drop));
    }

    [GeneratedRegex(@"^(?:-o (?<b>\S+) -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT|-o (?<b>\S+) -j DOCKER|-i (?<b>\S+) ! -o \k<b> -j ACCEPT|-i (?<b>\S+) -o \k<b> -j (?:ACCEPT|DROP))$")]
    private static partial Regex ForwardShape();

    [GeneratedRegex(@"^(?:-i (?<b>\S+) ! -o \k<b> -j DOCKER-ISOLATION-STAGE-2|! -s \S+ -o (?<b>\S+) -j DROP|! -d \S+ -i (?<b>\S+) -j DROP)$")]
    private static partial Regex Isolation1Shape();

    [GeneratedRegex(@"^-o (?<b>\S+) -j DROP$")]
    private static partial Regex Isolation2Shape();

    [GeneratedRegex(@"^(?:-s \S+ ! -o (?<b>\S+) -j MASQUERADE|-o (?<b>\S+) -m addrtype --src-type LOCAL -j MASQUERADE)$")]
    private static partial Regex MasqueradeShape();

    [GeneratedRegex(@"^-i (?<b>\S+) -j RETURN$")]
    private static partial Regex SkipDnatShape();

    [GeneratedRegex(@"^(?:docker0|br-[0-9a-f]{12})$")]
    private static partial Regex DockerBridgeName();

    // IFNAMSIZ is 16 including the NUL; the character set also keeps names from smuggling tokens into a rule.
    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,15}$")]
    private static partial Regex InterfaceName();
}
