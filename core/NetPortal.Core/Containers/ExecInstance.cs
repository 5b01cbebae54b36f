using NetPortal.Core.Sandboxes;

namespace NetPortal.Core.Containers;

/// <summary>An exec created by POST /containers/{id}/exec; started at most once.</summary>
public sealed class ExecInstance
{
    public required string Id { get; init; }
    public required string ContainerId { get; init; }
    public required ProcessSpec Process { get; init; }
    public bool AttachStdin { get; init; }
    public bool AttachStdout { get; init; }
    public bool AttachStderr { get; init; }
    public bool Tty { get; init; }
    public string User { get; init; } = "";
    public bool Privileged { get; init; }
    public string DetachKeys { get; init; } = "";
    public bool Running { get; set; }
    public bool Started { get; set; }
    /// <summary>Null until the process has exited.</summary>
    public int? ExitCode { get; set; }
    public int Pid { get; set; }
}
