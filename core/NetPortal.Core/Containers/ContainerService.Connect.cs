using Microsoft.Extensions.Logging;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Containers;

public sealed partial class ContainerService
{
    public async Task ConnectAsync(string networkTerm, string containerTerm, EndpointConfig? config, CancellationToken ct = default)
    {
        var c = Inspect(containerTerm);
        config ??= new EndpointConfig();
        using (await LockAsync(c.Id, ct))
        {
            c = Current(c.Id);
            if (c.NetworkMode == "host" || c.NetworkMode.StartsWith("container:", StringComparison.Ordinal))
                throw NetPortalException.InvalidParameter("container sharing network namespace with another container or host cannot be connected to any other network");
            if (!c.State.Running)
            {
                // A stopped container only records the wish; a missing network surfaces at start, as Docker.
                var target = TryNetwork(networkTerm);
                if (target is not null && c.Attachments.Any(a => a.NetworkId == target.Id)) return;
                if (c.NetworkMode == "none" || target?.Driver == "null")
                    throw NetPortalException.InvalidParameter("container cannot be connected to multiple networks with one of the networks in private (none) mode");
                var pending = new Attachment(target?.Id ?? "", target?.Name ?? networkTerm, config, null);
                Validate(pending);
                await SaveAsync(c with { Attachments = [.. c.Attachments, pending] }, ct);
                return;
            }

            var n = networks.Inspect(networkTerm);
            if (c.NetworkMode == "none" || n.Driver == "null")
                throw NetPortalException.InvalidParameter("container cannot be connected to multiple networks with one of the networks in private (none) mode");
            if (c.Attachments.Any(a => a.NetworkId == n.Id && a.Endpoint is not null))
                throw NetPortalException.Forbidden($"endpoint with name {c.Name} already exists in network {n.Name}");
            var attachment = new Attachment(n.Id, n.Name, config, null);
            Validate(attachment);

            var undo = new Stack<(string What, Action Undo)>();
            try
            {
                var used = c.Attachments.Where(a => a.Endpoint is not null).Select(a => a.Endpoint!.InterfaceName).ToList();
                var p = PlanEndpoint(c, config, n, NextInterfaceName(used), undo, c.Attachments.Count);
                var joined = EndpointDriverFor(n).Join(n, p.Endpoint, c.Sandbox!);
                undo.Push(("leave", () => EndpointDriverFor(n).Leave(n, joined, c.Sandbox!)));
                var attachments = c.Attachments.Where(a => a.NetworkId != n.Id).Append(attachment with { Endpoint = joined }).ToList();
                var updated = c with { Attachments = attachments };
                updated = RouteThroughBestGateway(updated);
                runtime.UpdateFiles(c.Sandbox!, HostsFor(updated, attachments.Where(a => a.Endpoint is not null).Select(a => a.Endpoint!)),
                    ResolvConfFor(updated, attachments.Where(a => a.Endpoint is not null).Select(a => networks.Inspect(a.NetworkId))));
                if (!n.IsPredefined) resolver.Attach(c.Sandbox!, c.Id, this);
                await SaveAsync(updated, ct);
                EmitNetwork("connect", n.Id, c.Id);
            }
            catch (Exception failure)
            {
                while (undo.TryPop(out var step))
                {
                    try { step.Undo(); }
                    catch (Exception e) { log.LogWarning(e, "undo of {Step} failed after: {Cause}", step.What, failure.Message); }
                }
                throw;
            }
        }

        void Validate(Attachment a)
        {
            var errors = new List<string>();
            ValidateEndpoint(a, errors, prefix: "");
            if (errors.Count > 0) throw NetPortalException.InvalidParameter(string.Join("\n", errors));
        }
    }

    public async Task DisconnectAsync(string networkTerm, string containerTerm, bool force, CancellationToken ct = default)
    {
        Container c;
        try
        {
            c = Inspect(containerTerm);
        }
        catch (NetPortalException e) when (e.Kind == ErrorKind.NotFound && force)
        {
            return; // Docker force-removes a stale endpoint by name; no such endpoint survives here.
        }
        using (await LockAsync(c.Id, ct))
        {
            c = Current(c.Id);
            var n = TryNetwork(networkTerm);
            var a = c.Attachments.FirstOrDefault(x => n is not null ? x.NetworkId == n.Id || x.NetworkName == n.Name : x.NetworkName == networkTerm);
            if (c.NetworkMode == "host" && (n?.Driver == "host" || networkTerm == "host"))
                throw NetPortalException.InvalidParameter("cannot disconnect container from host network - container was created in host network mode");
            if (!c.State.Running)
            {
                if (a is null) throw NetPortalException.Internal($"container {c.Id} is not connected to the network {n?.Name ?? networkTerm}");
                await SaveAsync(c with { Attachments = c.Attachments.Where(x => x != a).ToList() }, ct);
                return;
            }
            if (n is null && !force) throw NetPortalException.NotFound($"network {networkTerm} not found");
            if (a is null || a.Endpoint is null) throw NetPortalException.Internal($"container {c.Id} is not connected to network {n?.Name ?? networkTerm}");
            LeaveQuietly(c, a, a.Endpoint);
            var updated = c with { Attachments = c.Attachments.Where(x => x != a).ToList() };
            if (a.Endpoint.IsDefaultGateway) updated = RouteThroughBestGateway(updated);
            var live = updated.Attachments.Where(x => x.Endpoint is not null).ToList();
            runtime.UpdateFiles(c.Sandbox!, HostsFor(updated, live.Select(x => x.Endpoint!)), ResolvConfFor(updated, live.Select(x => networks.Inspect(x.NetworkId))));
            await SaveAsync(updated, ct);
        }
    }

    private Network? TryNetwork(string term)
    {
        try
        {
            return networks.Inspect(term);
        }
        catch (NetPortalException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>Re-picks the default route after a connect or a disconnect, as Docker does.</summary>
    private Container RouteThroughBestGateway(Container c)
    {
        var candidates = c.Attachments.Select((a, i) => (a, i)).Where(x => x.a.Endpoint is not null)
            .Select(x => (x.a, x.i, Net: TryNetwork(x.a.NetworkId)))
            .Where(x => x.Net is not null && !x.Net.Internal && (x.a.Endpoint!.Gateway.Length > 0 || x.a.Endpoint.GatewayIPv6.Length > 0))
            .OrderByDescending(x => x.a.Config.GwPriority).ThenBy(x => x.i).ToList();
        var best = candidates.Count > 0 ? candidates[0].a : null;
        if (best is null) runtime.SetDefaultGateway(c.Sandbox!, null, null, null);
        else runtime.SetDefaultGateway(c.Sandbox!, best.Endpoint!.InterfaceName, NullIfEmpty(best.Endpoint.Gateway), NullIfEmpty(best.Endpoint.GatewayIPv6));
        return c with
        {
            Attachments = c.Attachments.Select(a => a.Endpoint is null ? a : a with { Endpoint = a.Endpoint with { IsDefaultGateway = a == best } }).ToList(),
        };
    }
}
