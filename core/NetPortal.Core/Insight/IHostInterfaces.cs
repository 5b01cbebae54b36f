namespace NetPortal.Core.Insight;

/// <summary>The interfaces of the managed namespace, read from the kernel.</summary>
public interface IHostInterfaces
{
    /// <summary>The managed namespace's file.</summary>
    string NamespacePath { get; }

    IReadOnlyList<HostInterface> List();
}
