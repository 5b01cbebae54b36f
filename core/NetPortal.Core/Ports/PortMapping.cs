namespace NetPortal.Core.Ports;

/// <summary>One published port: host address and port (resolved, never 0) to a container address and port.</summary>
/// <param name="Protocol">tcp, udp or sctp.</param>
/// <param name="HostIp">0.0.0.0, :: or a specific address of the managed namespace.</param>
public sealed record PortMapping(string Protocol, string HostIp, int HostPort, string ContainerIp, int ContainerPort);
