namespace NetPortal.Core.Containers;

/// <summary>One host binding of a container port ("HostIp"/"HostPort" on the wire; empty means any / ephemeral).</summary>
public sealed record PortBinding(string HostIp, string HostPort);
