namespace NetPortal.Core.Sandboxes;

/// <summary>A process we started (or adopt after a restart), identified by PID and kernel start time.</summary>
public sealed record ProcessHandle(int Pid, ulong StartTime);
