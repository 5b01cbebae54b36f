using System.Net;
using System.Net.Sockets;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Containers;

public sealed partial class ContainerService
{
    /// <summary>Names of a container on one network, as Docker's DNSNames: name, aliases, short id, hostname.</summary>
    public static IReadOnlyList<string> DnsNames(Container c, Attachment a)
    {
        var names = new List<string> { c.Name };
        names.AddRange(a.Config.Aliases);
        names.Add(c.Id[..12]);
        names.Add(c.Hostname);
        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<IPAddress> Lookup(string containerId, string name, AddressFamily family)
    {
        var asker = Asker(containerId);
        if (asker is null) return [];
        name = name.TrimEnd('.');
        var result = new List<IPAddress>();
        foreach (var (network, peers) in SharedNetworks(asker))
        {
            foreach (var (peer, attachment) in peers)
            {
                var names = DnsNames(peer, attachment);
                // Docker also answers <name>.<network>.
                var hit = names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)
                    || string.Equals($"{n}.{network.Name}", name, StringComparison.OrdinalIgnoreCase));
                if (!hit) continue;
                var text = family == AddressFamily.InterNetworkV6 ? attachment.Endpoint!.IPv6 : attachment.Endpoint!.IPv4;
                if (text.Length > 0) result.Add(Cidr.ParseInterfaceAddress(text).Address);
            }
        }
        return result.Distinct().ToList();
    }

    public IReadOnlyList<string> ReverseLookup(string containerId, IPAddress address)
    {
        var asker = Asker(containerId);
        if (asker is null) return [];
        foreach (var (network, peers) in SharedNetworks(asker))
            foreach (var (peer, attachment) in peers)
            {
                var e = attachment.Endpoint!;
                if ((e.IPv4.Length > 0 && Cidr.ParseInterfaceAddress(e.IPv4).Address.Equals(address))
                    || (e.IPv6.Length > 0 && Cidr.ParseInterfaceAddress(e.IPv6).Address.Equals(address)))
                    return [$"{peer.Name}.{network.Name}"];
            }
        return [];
    }

    public IReadOnlyList<string> Upstreams(string containerId)
    {
        var dns = Asker(containerId)?.Spec.Dns ?? [];
        if (dns.Count > 0) return ResolverFiles.Upstreams("", dns);

        // Parsed once per resolv.conf text, not on every forwarded query.
        var text = host.ReadResolvConf();
        var parsed = _hostUpstreams;
        if (parsed is null || !ReferenceEquals(parsed.Text, text) && parsed.Text != text)
        {
            _hostUpstreams = parsed = new ParsedUpstreams(text, ResolverFiles.Upstreams(text, []));
        }

        return parsed.Servers;
    }

    private volatile ParsedUpstreams? _hostUpstreams;

    private sealed record ParsedUpstreams(string Text, IReadOnlyList<string> Servers);

    /// <summary>A container:&lt;x&gt; joiner asks through x's network namespace, so x's view answers.</summary>
    private Container? Asker(string containerId)
    {
        if (!_containers.TryGetValue(containerId, out var c)) return null;
        if (c.NetworkMode.StartsWith("container:", StringComparison.Ordinal) && _containers.TryGetValue(c.NetworkMode["container:".Length..], out var provider))
            return provider;
        return c;
    }

    /// <summary>User-defined networks the asker is live on, each with the live attachments of every container there.</summary>
    private IEnumerable<(Network Network, List<(Container Peer, Attachment Attachment)> Peers)> SharedNetworks(Container asker)
    {
        var all = _containers.Values.Where(x => x.State.Running).ToList();
        foreach (var mine in asker.Attachments.Where(a => a.Endpoint is not null))
        {
            var n = TryNetwork(mine.NetworkId);
            if (n is null || n.IsPredefined) continue;
            var peers = all.SelectMany(x => x.Attachments.Where(a => a.Endpoint is not null && a.NetworkId == n.Id).Select(a => (x, a))).ToList();
            yield return (n, peers);
        }
    }
}
