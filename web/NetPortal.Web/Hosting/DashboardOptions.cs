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
}
