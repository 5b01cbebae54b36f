using NetPortal.Linux.Namespaces;

namespace NetPortal.Linux.Tests.Kernel;

/// <summary>A fresh namespace made with `ip netns add nptest-RANDOM`, opened as a NetNamespace, deleted on Dispose.</summary>
internal sealed class ScratchNamespace : IDisposable
{
    public string Name { get; } = "nptest-" + Guid.NewGuid().ToString("N")[..10];
    public NetNamespace Namespace { get; }

    public ScratchNamespace()
    {
        Ip.Must("netns", "add", Name);
        try { Namespace = NetNamespace.Open(Name); }
        catch { Ip.Run("netns", "del", Name); throw; }
    }

    public void Dispose()
    {
        Namespace.Dispose();
        Ip.Run("netns", "del", Name);
    }
}
