namespace NetPortal.Core.Containers;

/// <summary>Docker's State: Status is created, running, exited, removing or dead.</summary>
public sealed record ContainerState
{
    public string Status { get; init; } = "created";
    public bool Running => Status == "running";
    public int Pid { get; init; }
    /// <summary>Kernel start time of the process (from /proc/PID/stat), so a reused PID is never mistaken for ours.</summary>
    public ulong PidStartTime { get; init; }
    public int ExitCode { get; init; }
    public string Error { get; init; } = "";
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}
