using System.Globalization;
using Microsoft.Extensions.Logging;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;
using NetPortal.Core.Ports;

namespace NetPortal.Core.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Publishes the container's ports through its default-gateway endpoint (Docker programs external connectivity
    /// only there). An empty host IP means the network's host_binding_ipv4 (default 0.0.0.0) and, as dockerd 20.10,
    /// also [::] on the same port — NAT for IPv6 only when the endpoint has IPv6, else the userland proxy alone.
    /// </summary>
    private Endpoint PublishPorts(Container c, Network n, Endpoint e, Stack<(string What, Action Undo)> undo)
    {
        var requests = PortRequests(c, n, e);
        if (requests.Count == 0) return e;
        IReadOnlyList<PortMapping> mappings;
        try
        {
            var v4 = ports.Allocate(requests.Where(r => !r.Twin).Select(r => r.Request).ToList());
            var twins = requests.Where(r => r.Twin).Select(r =>
            {
                var primary = v4[requests.Where(x => !x.Twin).ToList().FindIndex(x => x.Key == r.Key)];
                return r.Request with { HostPortStart = primary.HostPort, HostPortEnd = primary.HostPort };
            }).ToList();
            IReadOnlyList<PortMapping> v6;
            try
            {
                v6 = ports.Allocate(twins);
            }
            catch
            {
                ports.Release(v4);
                throw;
            }
            mappings = [.. v4, .. v6];
        }
        catch (NetPortalException ex)
        {
            throw NetPortalException.Internal($"driver failed programming external connectivity on endpoint {c.Name} ({e.Id}): {ex.Message}");
        }
        undo.Push(("release host ports", () => ports.Release(mappings)));
        try
        {
            publisher.Publish(n, e, mappings);
        }
        catch (Exception ex) when (ex is not NetPortalException { Kind: ErrorKind.InvalidParameter })
        {
            throw NetPortalException.Internal($"driver failed programming external connectivity on endpoint {c.Name} ({e.Id}): {ex.Message}", ex);
        }
        undo.Push(("unpublish ports", () => publisher.Unpublish(n, e, mappings)));
        return e with { Ports = mappings };
    }

    private sealed record PortRequest(PortAllocator.Request Request, bool Twin, string Key);

    private static List<PortRequest> PortRequests(Container c, Network n, Endpoint e)
    {
        var result = new List<PortRequest>();
        var bindings = new Dictionary<string, IReadOnlyList<PortBinding>>(c.Spec.PortBindings);
        if (c.Spec.PublishAllPorts)
            foreach (var exposed in c.Spec.ExposedPorts)
                if (!bindings.ContainsKey(exposed) && !bindings.ContainsKey(exposed + "/tcp")) bindings[exposed] = [new PortBinding("", "")];
        var defaultIp = n.Option("com.docker.network.bridge.host_binding_ipv4") is { Length: > 0 } h ? h : "0.0.0.0";
        var v4 = e.IPv4.Length > 0 ? e.IPv4[..e.IPv4.IndexOf('/')] : "";
        var v6 = e.IPv6.Length > 0 ? e.IPv6[..e.IPv6.IndexOf('/')] : "";
        var index = 0;
        foreach (var (portProto, list) in bindings.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var slash = portProto.IndexOf('/');
            var proto = slash < 0 ? "tcp" : portProto[(slash + 1)..];
            if (!int.TryParse(slash < 0 ? portProto : portProto[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var containerPort)
                || containerPort is < 1 or > 65535 || proto is not ("tcp" or "udp" or "sctp"))
                throw NetPortalException.InvalidParameter($"invalid port specification: \"{portProto}\"");
            foreach (var b in list.Count == 0 ? [new PortBinding("", "")] : list)
            {
                var (start, end) = ParseHostPort(b.HostPort);
                var hostIp = string.IsNullOrEmpty(b.HostIp) ? defaultIp : b.HostIp;
                var key = $"{index++}";
                var family6 = hostIp.Contains(':');
                var target = family6 && v6.Length > 0 ? v6 : v4;
                if (target.Length == 0) continue;
                result.Add(new PortRequest(new PortAllocator.Request(proto, hostIp, start, end, target, containerPort), Twin: false, key));
                if (string.IsNullOrEmpty(b.HostIp) && hostIp == "0.0.0.0")
                    result.Add(new PortRequest(new PortAllocator.Request(proto, "::", start, end, v6.Length > 0 ? v6 : v4, containerPort), Twin: true, key));
            }
        }
        return result;
    }

    private static (int Start, int End) ParseHostPort(string text)
    {
        if (string.IsNullOrEmpty(text)) return (0, 0);
        var dash = text.IndexOf('-');
        if (dash < 0) return (ParsePort(text), ParsePort(text));
        return (ParsePort(text[..dash]), ParsePort(text[(dash + 1)..]));
    }

    private static int ParsePort(string s) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535
            ? p
            : throw NetPortalException.InvalidParameter($"invalid port specification: \"{s}\"");

    private void UnpublishQuietly(Network? n, Endpoint e)
    {
        if (e.Ports.Count == 0) return;
        try
        {
            if (n is not null) publisher.Unpublish(n, e, e.Ports);
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "unpublishing the ports of endpoint {Endpoint} failed", e.Id);
        }
        ports.Release(e.Ports);
    }
}
