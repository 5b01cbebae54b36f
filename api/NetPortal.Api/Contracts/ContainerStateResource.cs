namespace NetPortal.Api.Contracts;

/// <summary>Docker's ContainerState; times are RFC 3339, the zero time is 0001-01-01T00:00:00Z.</summary>
public sealed class ContainerStateResource
{
    public required string Status { get; init; }
    public bool Running { get; init; }
    public bool Paused { get; init; }
    public bool Restarting { get; init; }
    public bool OOMKilled { get; init; }
    public bool Dead { get; init; }
    public int Pid { get; init; }
    public int ExitCode { get; init; }
    public required string Error { get; init; }
    public required string StartedAt { get; init; }
    public required string FinishedAt { get; init; }
}
