using System.Net;
using System.Text;

namespace NetPortal.Core.Containers;

/// <summary>/etc/hosts and /etc/resolv.conf of a sandbox, written as dockerd 20.10 writes them.</summary>
public static class ResolverFiles
{
    public const string EmbeddedDns = "127.0.0.11";

    private const string Defaults =
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    /// <summary>A legacy link as /etc/hosts shows it: "IP\talias id12 name".</summary>
    public sealed record LinkEntry(string Address, string Alias, string ShortId, string Name);

    /// <param name="extraHosts">"host:ip" entries (--add-host), in order.</param>
    /// <param name="selfAddresses">The container's own addresses (first network's IPv4, then IPv6), without prefix.</param>
    public static string Hosts(IReadOnlyList<string> extraHosts, IReadOnlyList<LinkEntry> links, IReadOnlyList<string> selfAddresses, string hostname, string domainname)
    {
        var sb = new StringBuilder(Defaults);
        foreach (var e in extraHosts)
        {
            var colon = e.IndexOf(':');
            if (colon <= 0) continue;
            sb.Append(e[(colon + 1)..]).Append('\t').Append(e[..colon]).Append('\n');
        }
        foreach (var l in links)
        {
            sb.Append(l.Address).Append('\t').Append(l.Alias);
            if (l.Alias != l.ShortId) sb.Append(' ').Append(l.ShortId);
            if (l.Name != l.Alias) sb.Append(' ').Append(l.Name);
            sb.Append('\n');
        }
        var names = string.IsNullOrEmpty(domainname) ? hostname : $"{hostname}.{domainname} {hostname}";
        foreach (var a in selfAddresses) sb.Append(a).Append('\t').Append(names).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// On user-defined networks: the embedded resolver, with --dns-search and --dns-opt (default ndots:0).
    /// Otherwise the host's file without loopback nameservers (they cannot be reached from a sandbox), with
    /// --dns/--dns-search/--dns-opt replacing their host counterparts, and Google's servers when none remain.
    /// </summary>
    public static string ResolvConf(string hostResolvConf, bool embeddedDns, IReadOnlyList<string> dns, IReadOnlyList<string> dnsSearch, IReadOnlyList<string> dnsOptions, bool ipv6)
    {
        var hostServers = new List<string>();
        var hostSearch = new List<string>();
        var hostOptions = new List<string>();
        foreach (var raw in hostResolvConf.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.StartsWith(';') || line.Length == 0) continue;
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            switch (parts[0])
            {
                case "nameserver" when parts.Length > 1: hostServers.Add(parts[1]); break;
                case "search" or "domain" when parts.Length > 1: hostSearch = [.. parts[1..]]; break;
                case "options": hostOptions.AddRange(parts[1..]); break;
            }
        }

        var sb = new StringBuilder();
        var search = dnsSearch.Count > 0 ? dnsSearch.Where(s => s != ".").ToList() : hostSearch;
        if (embeddedDns)
        {
            if (search.Count > 0) sb.Append("search ").AppendJoin(' ', search).Append('\n');
            sb.Append("nameserver ").Append(EmbeddedDns).Append('\n');
            var options = dnsOptions.Count > 0 ? dnsOptions.ToList() : hostOptions.Where(o => !o.StartsWith("ndots:", StringComparison.Ordinal)).Prepend("ndots:0").ToList();
            sb.Append("options ").AppendJoin(' ', options).Append('\n');
            return sb.ToString();
        }

        var servers = dns.Count > 0 ? dns.ToList() : hostServers.Where(s => !IsLoopback(s) && (ipv6 || !s.Contains(':'))).ToList();
        if (servers.Count == 0)
        {
            servers = ["8.8.8.8", "8.8.4.4"];
            if (ipv6) servers.AddRange(["2001:4860:4860::8888", "2001:4860:4860::8844"]);
        }
        if (search.Count > 0) sb.Append("search ").AppendJoin(' ', search).Append('\n');
        foreach (var s in servers) sb.Append("nameserver ").Append(s).Append('\n');
        var opts = dnsOptions.Count > 0 ? dnsOptions.ToList() : hostOptions;
        if (opts.Count > 0) sb.Append("options ").AppendJoin(' ', opts).Append('\n');
        return sb.ToString();
    }

    /// <summary>The upstreams the embedded resolver forwards to: --dns, else the host's servers (loopback ones included: they are queried from the managed namespace).</summary>
    public static IReadOnlyList<string> Upstreams(string hostResolvConf, IReadOnlyList<string> dns)
    {
        if (dns.Count > 0) return dns.Take(3).ToList();
        return hostResolvConf.Split('\n').Select(l => l.Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length > 1 && p[0] == "nameserver").Select(p => p[1]).Take(3).ToList();
    }

    private static bool IsLoopback(string s) => IPAddress.TryParse(s, out var ip) && IPAddress.IsLoopback(ip);
}
