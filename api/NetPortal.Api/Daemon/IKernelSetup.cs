namespace NetPortal.Api.Daemon;

/// <summary>Prepares the managed namespace (lo, forwarding, base firewall chains) before networks are reconciled.</summary>
public interface IKernelSetup
{
    void Initialize();
}
