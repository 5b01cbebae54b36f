using NetPortal.Core.Sandboxes;

namespace NetPortal.Core.Insight;

/// <summary>Reads a sandbox's main routing table from its own network namespace.</summary>
public interface ISandboxRoutes
{
    /// <summary>IPv4 and IPv6 routes; empty when the namespace cannot be entered (the sandbox is going away).</summary>
    IReadOnlyList<SandboxRoute> Routes(SandboxInfo sandbox);
}
