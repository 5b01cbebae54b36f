namespace NetPortal.Core.Sandboxes;

/// <summary>
/// Namespaces and processes of containers. A sandbox is a network namespace (new, the managed one, or another
/// sandbox's), plus its own UTS and mount namespaces in which /etc/hosts, /etc/hostname and /etc/resolv.conf are
/// the sandbox's files and /sys shows the sandbox's interfaces.
/// </summary>
public interface ISandboxRuntime
{
    /// <summary>Creates the namespaces and files; on failure removes what it made, then throws.</summary>
    SandboxInfo Create(SandboxSpec spec);

    /// <summary>Rewrites hosts and resolv.conf in place (the bind mounts show the new content).</summary>
    void UpdateFiles(SandboxInfo sandbox, string hosts, string resolvConf);

    /// <summary>Starts the container's command in its own session; stdout and stderr go to the sandbox's log file.</summary>
    ProcessHandle Start(SandboxInfo sandbox, ProcessSpec process);

    /// <summary>Completes when the process ends, with its exit code; for an adopted (non-child) process the code is unknowable and -1 is returned.</summary>
    Task<int> WaitAsync(ProcessHandle process, CancellationToken ct);

    /// <summary>True while the PID exists and still has the recorded start time.</summary>
    bool IsAlive(ProcessHandle process);

    /// <summary>Sends a signal by number; a process already gone is not an error.</summary>
    void Signal(ProcessHandle process, int signal);

    /// <summary>Runs a command in the sandbox's namespaces with piped standard streams.</summary>
    IExecProcess Exec(SandboxInfo sandbox, ProcessSpec process, bool attachStdin);

    /// <summary>Routes the sandbox's default route(s) through the given interface and gateways (null removes them).</summary>
    void SetDefaultGateway(SandboxInfo sandbox, string? interfaceName, string? gatewayIPv4, string? gatewayIPv6);

    /// <summary>Unmounts and deletes the namespace files and the folder; continues past errors and reports them all.</summary>
    void Destroy(SandboxInfo sandbox);

    /// <summary>Container ids of sandboxes present on disk (for start-up cleanup of those no record owns).</summary>
    IReadOnlyList<string> ListSandboxes();

    /// <summary>Removes a sandbox found on disk that no record owns (a crash between create and record).</summary>
    void DestroyOrphan(string containerId);
}
