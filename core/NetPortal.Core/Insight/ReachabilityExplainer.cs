using System.Net;
using NetPortal.Core.Ipam;

namespace NetPortal.Core.Insight;

/// <summary>
/// Explains whether a first packet from a sandbox reaches a container, a published port or the outside, with Docker's
/// bridge semantics: the sandbox's route picks the interface; on the same bridge the FORWARD chain sees -i br -o br (the
/// icc rule decides); across bridges FORWARD runs DOCKER-USER, then DOCKER-ISOLATION-STAGE-1/2; published ports go
/// through nat DNAT; leaving goes through POSTROUTING MASQUERADE. The real parsed rules are walked in order.
/// Pure: everything comes in as arguments.
/// </summary>
public static class ReachabilityExplainer
{
    /// <summary>Stands for any address outside the managed namespace's networks.</summary>
    public static readonly IPAddress OutsideAddress = IPAddress.Parse("198.51.100.1");

    /// <summary>Output interface used for traffic leaving the namespace (it matches no bridge).</summary>
    public const string Uplink = "uplink";

    /// <param name="from">The sending sandbox, or null for the managed namespace itself (only with a host target).</param>
    /// <param name="toSandbox">The receiving sandbox for container targets.</param>
    /// <param name="sandboxes">Every sandbox (to find who publishes a host port).</param>
    /// <param name="fromRoutes">The sender's route table as the kernel has it; empty derives routes from its endpoints.</param>
    public static ReachabilityResult Explain(
        InsightSandbox? from,
        ReachabilityTarget to,
        InsightSandbox? toSandbox,
        IReadOnlyList<InsightSandbox> sandboxes,
        IReadOnlyList<InsightNetwork> networks,
        FirewallRuleset rules,
        IReadOnlyList<SandboxRoute> fromRoutes)
    {
        var x = new Explanation(networks, rules, fromRoutes);
        var fromName = from?.Name ?? "host";
        var toName = to.Kind switch
        {
            ReachabilityTarget.ContainerKind => toSandbox?.Name ?? to.Container,
            ReachabilityTarget.HostKind => $"host:{to.Port}",
            _ => "outside",
        };
        var summary = to.Kind switch
        {
            ReachabilityTarget.ContainerKind => x.ToContainer(from!, toSandbox!),
            ReachabilityTarget.HostKind => x.ToHostPort(from, to, sandboxes),
            _ => x.ToOutside(from!),
        };
        var steps = x.Steps.Concat(x.Notes.Select(n => new ReachabilityStep("note", null, null, n, false))).ToList();
        var verdict = x.Verdict == "ACCEPT" ? ReachabilityResult.Allowed : ReachabilityResult.Blocked;
        return new ReachabilityResult(fromName, toName, verdict, steps, summary);
    }

    private sealed class Explanation(IReadOnlyList<InsightNetwork> networks, FirewallRuleset rules, IReadOnlyList<SandboxRoute> routes)
    {
        public List<ReachabilityStep> Steps { get; } = [];
        public HashSet<string> Notes { get; } = [];
        public string Verdict { get; private set; } = "DROP";

        public string ToContainer(InsightSandbox from, InsightSandbox to)
        {
            if ((NotRunning(from) ?? NotRunning(to)) is { } stopped) return stopped;
            var shared = from.Endpoints.SelectMany(fe => to.Endpoints.Where(te => te.NetworkId == fe.NetworkId && te.IPv4.Length > 0)).FirstOrDefault();
            var target = shared ?? to.Endpoints.FirstOrDefault(e => e.IsDefaultGateway && e.IPv4.Length > 0) ?? to.Endpoints.FirstOrDefault(e => e.IPv4.Length > 0);
            if (target is null) return Decide("sandbox", $"{to.Name} has no IPv4 address", $"{to.Name} has no IPv4 address to reach");
            var dst = Address(target.IPv4);
            var route = Route(from, dst);
            if (route is null) return NoRoute(from, dst, to.Name);
            var (outEp, gateway) = route.Value;
            var srcNet = Network(outEp.NetworkId);
            var dstNet = Network(target.NetworkId);
            if (srcNet?.Bridge is null || dstNet?.Bridge is null)
                return Decide("bridge", "not a bridge network", $"{from.Name} and {to.Name} are not both on bridge networks; NetPortal only explains bridges");
            var sameBridge = gateway is null && srcNet.Id == dstNet.Id;
            Steps.Add(new("bridge", null, null, sameBridge
                ? $"same bridge {srcNet.Bridge} (network {srcNet.Name})"
                : $"routed by the managed namespace from {srcNet.Bridge} (network {srcNet.Name}) to {dstNet.Bridge} (network {dstNet.Name})", false));
            var packet = new PacketProbe(srcNet.Bridge, dstNet.Bridge, Address(outEp.IPv4), dst, null, null, DstLocal: false, SrcLocal: false);
            Verdict = Run("filter", "FORWARD", "forward", "filter", decides: true, ref packet);
            return Summarize(from.Name, to.Name, srcNet, dstNet, sameBridge);
        }

        public string ToHostPort(InsightSandbox? from, ReachabilityTarget to, IReadOnlyList<InsightSandbox> sandboxes)
        {
            if (from is not null && NotRunning(from) is { } stopped) return stopped;
            var published = sandboxes.Where(s => s.State == "running")
                .SelectMany(s => s.Ports.Where(p => p.HostPort == to.Port && p.Protocol == to.Protocol).Select(p => (Sandbox: s, Port: p)))
                .FirstOrDefault();
            if (published.Sandbox is null)
                return Decide("port", $"no container publishes {to.Port}/{to.Protocol}", $"nothing is published on {to.Port}/{to.Protocol}");
            var mapping = published.Port;
            var targetEp = published.Sandbox.Endpoints.FirstOrDefault(e => e.IPv4.Length > 0 && Address(e.IPv4).ToString() == mapping.ContainerIp);
            var targetNet = targetEp is null ? null : Network(targetEp.NetworkId);
            var what = $"{mapping.HostPort}/{mapping.Protocol} → {published.Sandbox.Name}:{mapping.ContainerPort}";
            PacketProbe packet;
            if (from is null)
            {
                var local = targetNet?.Gateways.FirstOrDefault() is { } gw && IPAddress.TryParse(gw, out var g) ? g : IPAddress.Loopback;
                Steps.Add(new("route", null, null, $"host: {local}:{to.Port} is an address of the managed namespace", false));
                packet = new PacketProbe(null, null, null, local, to.Protocol, to.Port, DstLocal: true, SrcLocal: true);
                Run("nat", "OUTPUT", "output", "nat", decides: false, ref packet);
                var chain = "OUTPUT";
                if (packet.Destination is { } d && d.ToString() == mapping.ContainerIp) packet = packet with { Out = targetNet?.Bridge };
                else Notes.Add($"not DNATed: the userland proxy listening on {to.Port} forwards the connection");
                Verdict = Run("filter", chain, "output", "filter", decides: true, ref packet);
            }
            else
            {
                var gwEp = from.Endpoints.FirstOrDefault(e => e.IsDefaultGateway && e.Gateway.Length > 0) ?? from.Endpoints.FirstOrDefault(e => e.Gateway.Length > 0);
                if (gwEp is null) return NoRoute(from, null, $"host:{to.Port}");
                var srcNet = Network(gwEp.NetworkId);
                var local = IPAddress.Parse(gwEp.Gateway);
                Steps.Add(new("route", null, null, $"{from.Name}: {local} dev {gwEp.Interface} (the managed namespace's address on network {srcNet?.Name})", false));
                packet = new PacketProbe(srcNet?.Bridge, null, Address(gwEp.IPv4), local, to.Protocol, to.Port, DstLocal: true, SrcLocal: false);
                Run("nat", "PREROUTING", "prerouting", "nat", decides: false, ref packet);
                if (packet.Destination is { } d && d.ToString() == mapping.ContainerIp)
                {
                    packet = packet with { Out = targetNet?.Bridge };
                    Verdict = Run("filter", "FORWARD", "forward", "filter", decides: true, ref packet);
                }
                else
                {
                    Notes.Add($"not DNATed (Docker skips DNAT for traffic from the bridge): the userland proxy listening on {to.Port} forwards the connection");
                    Verdict = Run("filter", "INPUT", "input", "filter", decides: true, ref packet);
                }
            }
            return Verdict == "ACCEPT" ? $"{what} is reachable from {from?.Name ?? "the managed namespace"}" : $"{what} is blocked: {Decisive().Text}";
        }

        public string ToOutside(InsightSandbox from)
        {
            if (NotRunning(from) is { } stopped) return stopped;
            var route = Route(from, OutsideAddress);
            if (route is null) return NoRoute(from, OutsideAddress, "the outside");
            var (outEp, _) = route.Value;
            var net = Network(outEp.NetworkId);
            if (net?.Bridge is null) return Decide("bridge", "not a bridge network", $"{from.Name} does not leave through a bridge; NetPortal only explains bridges");
            var packet = new PacketProbe(net.Bridge, Uplink, Address(outEp.IPv4), OutsideAddress, null, null, DstLocal: false, SrcLocal: false);
            Verdict = Run("filter", "FORWARD", "forward", "filter", decides: true, ref packet);
            if (Verdict != "ACCEPT")
            {
                return net.Internal
                    ? $"network {net.Name} is internal: Docker drops traffic leaving it"
                    : $"{from.Name} cannot leave through {net.Bridge}: {Decisive().Text}";
            }
            var before = Steps.Count;
            Run("nat", "POSTROUTING", "postrouting", "nat", decides: false, ref packet);
            var masqueraded = Steps.Skip(before).Any(s => s.Text.Contains("MASQUERADE", StringComparison.Ordinal) || s.Text.Contains("masquerade", StringComparison.Ordinal));
            if (!masqueraded) Steps.Add(new("nat", null, null, $"no MASQUERADE: packets leave with {from.Name}'s own address", false));
            return masqueraded
                ? $"{from.Name} leaves through {net.Bridge} (network {net.Name}) and is masqueraded"
                : $"{from.Name} leaves through {net.Bridge} (network {net.Name}) without masquerade";
        }

        private string Summarize(string a, string b, InsightNetwork srcNet, InsightNetwork dstNet, bool sameBridge)
        {
            var d = Decisive();
            var verb = Verdict == "ACCEPT" ? "accepts" : "drops";
            if (d.Chain == "DOCKER-USER") return $"a DOCKER-USER rule {verb} traffic from {a} to {b}: {d.Text}";
            if (Verdict == "ACCEPT")
            {
                return sameBridge
                    ? $"{a} and {b} share network {srcNet.Name}; traffic on its bridge {srcNet.Bridge} is accepted"
                    : $"{a} reaches {b} across bridges {srcNet.Bridge} → {dstNet.Bridge}";
            }
            if (d.Chain is { } chain && chain.StartsWith("DOCKER-ISOLATION", StringComparison.Ordinal))
            {
                if (d.Text.Contains("! -d ", StringComparison.Ordinal) || d.Text.Contains("! -s ", StringComparison.Ordinal))
                {
                    var internalNet = srcNet.Internal ? srcNet : dstNet;
                    return $"network {internalNet.Name} is internal: Docker drops traffic entering or leaving it";
                }
                return $"{a} and {b} are on different bridge networks; Docker's isolation drops traffic between bridges";
            }
            if (sameBridge && d.Kind == "rule") return $"inter-container communication (icc) is disabled on network {srcNet.Name}";
            if (d.Kind == "policy") return $"no rule accepts traffic from {a} to {b}: {d.Text}";
            return $"traffic from {a} to {b} is dropped by {d.Text}";
        }

        private ReachabilityStep Decisive() => Steps.LastOrDefault(s => s.Decides) ?? Steps[^1];

        private string? NotRunning(InsightSandbox s) =>
            s.State == "running" ? null : Decide("sandbox", $"{s.Name} is {s.State}", $"{s.Name} is not running");

        private string Decide(string kind, string text, string summary)
        {
            Steps.Add(new(kind, null, null, text, true));
            Verdict = "DROP";
            return summary;
        }

        private string NoRoute(InsightSandbox from, IPAddress? dst, string toName)
        {
            var internalNets = from.Endpoints.Select(e => Network(e.NetworkId)).Where(n => n is { Internal: true }).Select(n => n!.Name).ToList();
            var why = internalNets.Count > 0 ? $" (network {string.Join(", ", internalNets)} is internal: no default gateway)" : "";
            return Decide("route", $"{from.Name}: no route to {dst?.ToString() ?? toName}", $"{from.Name} has no route to {toName}{why}");
        }

        private (InsightEndpoint Endpoint, string? Gateway)? Route(InsightSandbox from, IPAddress dst)
        {
            if (routes.Count > 0)
            {
                var best = routes
                    .Select(r => (Route: r, Ok: Cidr.TryParse(r.Destination, out var c, out _), Cidr: c))
                    .Where(r => r.Ok && r.Cidr.Contains(dst))
                    .OrderByDescending(r => r.Cidr.PrefixLength)
                    .FirstOrDefault();
                if (!best.Ok) return null;
                var ep = from.Endpoints.FirstOrDefault(e => e.Interface == best.Route.Device);
                if (ep is null) return null;
                Steps.Add(new("route", null, null, best.Route.Gateway is { } g
                    ? $"{from.Name}: {dst} via {g} dev {ep.Interface} ({(best.Cidr.PrefixLength == 0 ? "default route" : best.Route.Destination)})"
                    : $"{from.Name}: {dst} dev {ep.Interface} (connected, network {ep.NetworkName})", false));
                return (ep, best.Route.Gateway);
            }
            var connected = from.Endpoints.FirstOrDefault(e => e.IPv4.Length > 0 && Cidr.ParseInterfaceAddress(e.IPv4).Prefix.Contains(dst));
            if (connected is not null)
            {
                Steps.Add(new("route", null, null, $"{from.Name}: {dst} dev {connected.Interface} (connected, network {connected.NetworkName})", false));
                return (connected, null);
            }
            var viaDefault = from.Endpoints.FirstOrDefault(e => e.IsDefaultGateway && e.Gateway.Length > 0 && e.IPv4.Length > 0);
            if (viaDefault is null) return null;
            Steps.Add(new("route", null, null, $"{from.Name}: {dst} via {viaDefault.Gateway} dev {viaDefault.Interface} (default route)", false));
            return (viaDefault, viaDefault.Gateway);
        }

        private InsightNetwork? Network(string id) => networks.FirstOrDefault(n => n.Id == id);

        private static IPAddress Address(string withPrefix) => Cidr.ParseInterfaceAddress(withPrefix).Address;

        /// <summary>Walks the entry chain (iptables) or the base chains of that hook and type (nftables); returns ACCEPT or DROP.</summary>
        private string Run(string table, string chain, string nftHook, string nftType, bool decides, ref PacketProbe packet)
        {
            var nft = rules.Backend == "nftables";
            var entries = nft
                ? rules.Tables.Where(t => t.Family is "ipv4" or "inet")
                    .SelectMany(t => t.Chains.Where(c => c.Hook == nftHook && c.Type == nftType).Select(c => (Table: t, Chain: c.Name))).ToList()
                : rules.Table("ipv4", table) is { } ipt && ipt.Chain(chain) is not null ? [(ipt, chain)] : [];
            if (entries.Count == 0)
            {
                if (decides) Steps.Add(new("policy", table, chain, $"no {table} {chain} chain in the ruleset: the packet passes", true));
                return "ACCEPT";
            }
            var verdict = "ACCEPT";
            for (var i = 0; i < entries.Count; i++)
            {
                var before = Steps.Count;
                var walk = new ChainWalk(entries[i].Table, nft, Steps, Notes) { Packet = packet };
                verdict = walk.Walk(entries[i].Chain, decides) is "DROP" or "REJECT" ? "DROP" : "ACCEPT";
                packet = walk.Packet;
                if (verdict == "DROP") break;
                // An accept in one nftables base chain hands the packet to the next one: only the last decides.
                if (i < entries.Count - 1)
                    for (var s = before; s < Steps.Count; s++) Steps[s] = Steps[s] with { Decides = false };
            }
            return verdict;
        }
    }
}
