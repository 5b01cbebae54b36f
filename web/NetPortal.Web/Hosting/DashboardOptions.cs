namespace NetPortal.Web.Hosting;

/// <summary>Where the dashboard is served, which daemon it talks to and which tokens open it.</summary>
public sealed class DashboardOptions
{
    /// <summary>URL prefix of the dashboard pages, "/" by default.</summary>
    public string PathPrefix { get; set; } = "/";
    /// <summary>The daemon's API: unix:///path, tcp://ip:port (as -H takes it) or an http(s):// URL.</summary>
    public string ApiAddress { get; set; } = "unix:///run/netportal/netportal.sock";
    /// <summary>Bearer token the dashboard sends to the API (a remote NetPortal bound to a non-loopback address).</summary>
    public string? ApiToken { get; set; }
    /// <summary>Token allowing GET requests from non-loopback clients; null when the config has none.</summary>
    public string? ReadToken { get; set; }
    /// <summary>Token allowing every request from non-loopback clients.</summary>
    public string? AdminToken { get; set; }

    /// <summary>
    /// The -H listener the in-process dashboard should call: a unix socket first, then a loopback or wildcard TCP
    /// listener (reached through loopback, so the call counts as local), else the first one.
    /// </summary>
    public static string PickLocalAddress(IReadOnlyList<string> hosts)
    {
        var unix = hosts.FirstOrDefault(h => h.StartsWith("unix://", StringComparison.Ordinal));
        if (unix is not null) return unix;
        foreach (var h in hosts.Where(h => h.StartsWith("tcp://", StringComparison.Ordinal)))
            if (System.Net.IPEndPoint.TryParse(h["tcp://".Length..].TrimEnd('/'), out var ep)
                && (System.Net.IPAddress.IsLoopback(ep.Address) || ep.Address.Equals(System.Net.IPAddress.Any) || ep.Address.Equals(System.Net.IPAddress.IPv6Any)))
                return h;
        return hosts.Count > 0 ? hosts[0] : "unix:///run/netportal/netportal.sock";
    }
}
