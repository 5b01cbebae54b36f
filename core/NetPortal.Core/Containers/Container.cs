using NetPortal.Core.Sandboxes;

namespace NetPortal.Core.Containers;

/// <summary>A container as NetPortal sees it: a network sandbox with a command running inside.</summary>
public sealed record Container
{
    public required string Id { get; init; }
    /// <summary>Without the leading slash.</summary>
    public required string Name { get; init; }
    public DateTimeOffset Created { get; init; }
    public required ContainerSpec Spec { get; init; }
    /// <summary>bridge, host, none, container:&lt;id&gt; or a network id (resolved at create).</summary>
    public required string NetworkMode { get; init; }
    /// <summary>Attachments in attachment order, by network id; kept while stopped (Docker keeps NetworkSettings.Networks).</summary>
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];
    public ContainerState State { get; init; } = new();
    /// <summary>Set while running.</summary>
    public SandboxInfo? Sandbox { get; init; }
    public int RestartCount { get; init; }

    public string Hostname => string.IsNullOrEmpty(Spec.Hostname) ? Id[..12] : Spec.Hostname;
}

/// <summary>One network the container belongs to, its user config, and the live endpoint while running.</summary>
public sealed record Attachment(string NetworkId, string NetworkName, EndpointConfig Config, Endpoint? Endpoint);
