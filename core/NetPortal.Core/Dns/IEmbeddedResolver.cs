using NetPortal.Core.Sandboxes;

namespace NetPortal.Core.Dns;

/// <summary>Docker's resolver at 127.0.0.11:53 inside sandboxes attached to user-defined networks.</summary>
public interface IEmbeddedResolver
{
    /// <summary>Starts answering inside the sandbox (sockets opened in its namespace, NAT from :53); idempotent.</summary>
    void Attach(SandboxInfo sandbox, string containerId, IDnsDirectory directory);

    /// <summary>Stops answering for that sandbox; unknown sandboxes are ignored.</summary>
    void Detach(SandboxInfo sandbox, string containerId);
}
