using System.Text.Json.Serialization;
using NetPortal.Core.Ports;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Core.Insight;

/// <summary>A container's network sandbox with its endpoints and published ports.</summary>
public sealed record InsightSandbox(
    string ContainerId,
    string Name,
    string State,
    string NetworkMode,
    string SandboxKey,
    IReadOnlyList<InsightEndpoint> Endpoints,
    IReadOnlyList<PortMapping> Ports)
{
    /// <summary>The running sandbox (for reading its routes), null when stopped.</summary>
    [JsonIgnore]
    public SandboxInfo? Sandbox { get; init; }
}
