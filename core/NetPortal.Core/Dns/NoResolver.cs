using NetPortal.Core.Sandboxes;

namespace NetPortal.Core.Dns;

/// <summary>No embedded DNS (tests, or before the resolver is wired).</summary>
public sealed class NoResolver : IEmbeddedResolver
{
    public void Attach(SandboxInfo sandbox, string containerId, IDnsDirectory directory) { }
    public void Detach(SandboxInfo sandbox, string containerId) { }
}
