namespace NetPortal.Web.Services.Models;

/// <summary>GET /netportal/firewall.</summary>
public sealed record FirewallView(string Backend, List<FirewallTable> Tables);
