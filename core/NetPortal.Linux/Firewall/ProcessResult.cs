namespace NetPortal.Linux.Firewall;

/// <summary>Outcome of one external command (iptables-save, iptables-restore) run inside the managed namespace.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);
