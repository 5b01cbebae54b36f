namespace NetPortal.Core.Insight;

/// <summary>The managed namespace: its file and interfaces.</summary>
public sealed record NamespaceView(string Path, IReadOnlyList<HostInterface> Interfaces);
