namespace NetPortal.Web.Services.Models;

/// <summary>A published port of a sandbox.</summary>
public sealed record TopologyPort(string Protocol, string? HostIp, int HostPort, string? ContainerIp, int ContainerPort);
