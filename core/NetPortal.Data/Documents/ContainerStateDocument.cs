namespace NetPortal.Data.Documents;

/// <summary>Stored form of a ContainerState (Running is computed from Status, so not stored).</summary>
internal sealed class ContainerStateDocument
{
    public string Status { get; set; } = "created";
    public int Pid { get; set; }
    /// <summary>A JSON integer with all 64 bits (System.Text.Json reads and writes ulong exactly).</summary>
    public ulong PidStartTime { get; set; }
    public int ExitCode { get; set; }
    public string Error { get; set; } = "";
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
