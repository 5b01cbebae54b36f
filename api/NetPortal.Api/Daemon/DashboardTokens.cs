namespace NetPortal.Api.Daemon;

/// <summary>The config's "tokens": {"read": "…", "admin": "…"}; needed for the dashboard and /netportal off loopback.</summary>
public sealed record DashboardTokens(string? Read, string? Admin);
