namespace NetPortal.Api.Contracts;

/// <summary>Docker's PortBinding: one host side of a container port ("" HostIp = all addresses, "" HostPort = ephemeral).</summary>
public sealed class PortBindingResource
{
    public string? HostIp { get; set; }
    public string? HostPort { get; set; }
}
