using NetPortal.Core.Errors;

namespace NetPortal.Core.Insight;

/// <summary>Topology and reachability from the live kernel state (interfaces, sandbox routes, ruleset) and the records.</summary>
public sealed class TopologyService(InsightSource source, IHostInterfaces host, IFirewallInspector firewall, ISandboxRoutes routes)
{
    public Topology Build()
    {
        var networks = source.Networks();
        var sandboxes = source.Sandboxes();
        var rules = Rules();
        var running = sandboxes.Where(s => s.State == "running").ToList();
        var routeTables = running.ToDictionary(s => s.ContainerId, RoutesOf);
        var pairs = new List<ReachabilityPair>();
        foreach (var a in running)
        {
            foreach (var b in running)
            {
                if (a.ContainerId == b.ContainerId) continue;
                var target = new ReachabilityTarget(ReachabilityTarget.ContainerKind, b.ContainerId, 0, "");
                var r = ReachabilityExplainer.Explain(a, target, b, sandboxes, networks, rules, routeTables[a.ContainerId]);
                pairs.Add(new ReachabilityPair(a.ContainerId, b.ContainerId, r.Verdict));
            }
        }
        return new Topology(new NamespaceView(host.NamespacePath, host.List()), networks, sandboxes, pairs);
    }

    /// <summary>Explains from=&lt;container|host&gt; to=&lt;container|host:port|outside&gt;; 400 for malformed terms, 404 for unknown containers.</summary>
    public ReachabilityResult Explain(string from, string to)
    {
        if (string.IsNullOrEmpty(from)) throw NetPortalException.InvalidParameter("from is required");
        var target = ReachabilityTarget.Parse(to ?? "") ?? throw NetPortalException.InvalidParameter($"invalid to: {to}: want a container, host:<port>[/<proto>] or outside");
        InsightSandbox? fromSandbox = null;
        if (from != "host") fromSandbox = InsightSource.Describe(source.ContainerService.Inspect(from));
        else if (target.Kind != ReachabilityTarget.HostKind) throw NetPortalException.InvalidParameter("from=host is only explained towards host:<port>");
        InsightSandbox? toSandbox = target.Kind == ReachabilityTarget.ContainerKind ? InsightSource.Describe(source.ContainerService.Inspect(target.Container)) : null;
        var result = ReachabilityExplainer.Explain(
            fromSandbox, target, toSandbox, source.Sandboxes(), source.Networks(), Rules(), fromSandbox is null ? [] : RoutesOf(fromSandbox));
        return result;
    }

    private FirewallRuleset Rules() => FirewallRuleset.Parse(firewall.Backend, firewall.Dump());

    private IReadOnlyList<SandboxRoute> RoutesOf(InsightSandbox s) => s.Sandbox is { } sandbox ? routes.Routes(sandbox) : [];
}
