namespace NetPortal.Core.Insight;

/// <summary>Who a firewall rule belongs to: daemon, network, port (a published mapping) or user.</summary>
public sealed record RuleOwner(string Kind, string Id, string Name)
{
    public const string DaemonKind = "daemon";
    public const string NetworkKind = "network";
    public const string PortKind = "port";
    public const string UserKind = "user";

    public static readonly RuleOwner Unknown = new(UserKind, "", "unknown");

    public static RuleOwner Daemon(string what) => new(DaemonKind, "", what);
}
