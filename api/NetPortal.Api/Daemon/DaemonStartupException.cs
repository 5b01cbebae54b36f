namespace NetPortal.Api.Daemon;

/// <summary>A flag or config problem: the daemon prints the message and refuses to start.</summary>
public sealed class DaemonStartupException(string message) : Exception(message);
