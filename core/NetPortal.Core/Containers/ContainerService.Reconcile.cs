namespace NetPortal.Core.Containers;

public sealed partial class ContainerService
{
    /// <summary>Sandboxes on disk that no container record owns (what start-up removes).</summary>
    public IReadOnlyList<string> OrphanSandboxes()
    {
        var known = _containers.Keys.ToHashSet(StringComparer.Ordinal);
        return runtime.ListSandboxes().Where(id => !known.Contains(id)).ToList();
    }

    /// <summary>Removes the orphan sandboxes (drift repair); returns a line per removal attempted.</summary>
    public IReadOnlyList<string> RemoveOrphanSandboxes()
    {
        var lines = new List<string>();
        foreach (var orphan in OrphanSandboxes())
        {
            TryDestroyOrphan(orphan);
            lines.Add($"removed orphan sandbox {orphan}");
        }
        return lines;
    }
}
