using System.Text.Json;
using NetPortal.Core.Containers;
using NetPortal.Core.Sandboxes;
using NetPortal.Data.Documents;
using NetPortal.Data.Entities;

namespace NetPortal.Data;

/// <summary>Container ⇄ ContainerDocument ⇄ JSON, field by field; collections keep their order.</summary>
internal static class ContainerMapping
{
    public static ContainerEntity ToEntity(Container container) => new()
    {
        Id = container.Id,
        Name = container.Name,
        Created = container.Created,
        Document = JsonSerializer.Serialize(ToDocument(container), ContainerJsonContext.Default.ContainerDocument),
    };

    public static Container ToContainer(string json)
    {
        var document = JsonSerializer.Deserialize(json, ContainerJsonContext.Default.ContainerDocument)
            ?? throw new InvalidDataException("container document is JSON null");
        if (document.Version != ContainerDocument.CurrentVersion)
        {
            throw new InvalidDataException(
                $"container {document.Id} is stored as document version {document.Version}; this NetPortal reads version {ContainerDocument.CurrentVersion}");
        }
        return FromDocument(document);
    }

    internal static ContainerDocument ToDocument(Container c) => new()
    {
        Id = c.Id,
        Name = c.Name,
        Created = c.Created,
        Spec = ToDocument(c.Spec),
        NetworkMode = c.NetworkMode,
        Attachments = c.Attachments.Select(a => new AttachmentDocument
        {
            NetworkId = a.NetworkId,
            NetworkName = a.NetworkName,
            Config = ToDocument(a.Config),
            Endpoint = a.Endpoint is null ? null : ToDocument(a.Endpoint),
        }).ToList(),
        State = new ContainerStateDocument
        {
            Status = c.State.Status,
            Pid = c.State.Pid,
            PidStartTime = c.State.PidStartTime,
            ExitCode = c.State.ExitCode,
            Error = c.State.Error,
            StartedAt = c.State.StartedAt,
            FinishedAt = c.State.FinishedAt,
        },
        Sandbox = c.Sandbox is null
            ? null
            : new SandboxDocument { Id = c.Sandbox.Id, Key = c.Sandbox.Key, Directory = c.Sandbox.Directory, OwnsNetwork = c.Sandbox.OwnsNetwork },
        RestartCount = c.RestartCount,
    };

    internal static Container FromDocument(ContainerDocument d) => new()
    {
        Id = d.Id,
        Name = d.Name,
        Created = d.Created,
        Spec = FromDocument(d.Spec),
        NetworkMode = d.NetworkMode,
        Attachments = d.Attachments
            .Select(a => new Attachment(a.NetworkId, a.NetworkName, FromDocument(a.Config), a.Endpoint is null ? null : FromDocument(a.Endpoint)))
            .ToList(),
        State = new ContainerState
        {
            Status = d.State.Status,
            Pid = d.State.Pid,
            PidStartTime = d.State.PidStartTime,
            ExitCode = d.State.ExitCode,
            Error = d.State.Error,
            StartedAt = d.State.StartedAt,
            FinishedAt = d.State.FinishedAt,
        },
        Sandbox = d.Sandbox is null ? null : new SandboxInfo(d.Sandbox.Id, d.Sandbox.Key, d.Sandbox.Directory, d.Sandbox.OwnsNetwork),
        RestartCount = d.RestartCount,
    };

    private static ContainerSpecDocument ToDocument(ContainerSpec s) => new()
    {
        Name = s.Name,
        Image = s.Image,
        Cmd = [.. s.Cmd],
        Entrypoint = [.. s.Entrypoint],
        Env = [.. s.Env],
        Hostname = s.Hostname,
        Domainname = s.Domainname,
        WorkingDir = s.WorkingDir,
        Labels = Copy(s.Labels),
        ExposedPorts = [.. s.ExposedPorts],
        NetworkMode = s.NetworkMode,
        Dns = [.. s.Dns],
        DnsSearch = [.. s.DnsSearch],
        DnsOptions = [.. s.DnsOptions],
        ExtraHosts = [.. s.ExtraHosts],
        Links = [.. s.Links],
        PortBindings = s.PortBindings.ToDictionary(
            kv => kv.Key,
            kv => kv.Value.Select(b => new PortBindingDocument { HostIp = b.HostIp, HostPort = b.HostPort }).ToList(),
            StringComparer.Ordinal),
        PublishAllPorts = s.PublishAllPorts,
        Sysctls = Copy(s.Sysctls),
        EndpointsConfig = s.EndpointsConfig.ToDictionary(kv => kv.Key, kv => ToDocument(kv.Value), StringComparer.Ordinal),
    };

    private static ContainerSpec FromDocument(ContainerSpecDocument s) => new()
    {
        Name = s.Name,
        Image = s.Image,
        Cmd = s.Cmd,
        Entrypoint = s.Entrypoint,
        Env = s.Env,
        Hostname = s.Hostname,
        Domainname = s.Domainname,
        WorkingDir = s.WorkingDir,
        Labels = s.Labels,
        ExposedPorts = s.ExposedPorts,
        NetworkMode = s.NetworkMode,
        Dns = s.Dns,
        DnsSearch = s.DnsSearch,
        DnsOptions = s.DnsOptions,
        ExtraHosts = s.ExtraHosts,
        Links = s.Links,
        PortBindings = s.PortBindings.ToDictionary(
            kv => kv.Key,
            kv => (IReadOnlyList<PortBinding>)kv.Value.Select(b => new PortBinding(b.HostIp, b.HostPort)).ToList(),
            StringComparer.Ordinal),
        PublishAllPorts = s.PublishAllPorts,
        Sysctls = s.Sysctls,
        EndpointsConfig = s.EndpointsConfig.ToDictionary(kv => kv.Key, kv => FromDocument(kv.Value), StringComparer.Ordinal),
    };

    private static EndpointConfigDocument ToDocument(EndpointConfig c) => new()
    {
        Aliases = [.. c.Aliases],
        IPv4Address = c.IPv4Address,
        IPv6Address = c.IPv6Address,
        LinkLocalIPs = [.. c.LinkLocalIPs],
        Links = [.. c.Links],
        DriverOpts = Copy(c.DriverOpts),
        MacAddress = c.MacAddress,
        GwPriority = c.GwPriority,
    };

    private static EndpointConfig FromDocument(EndpointConfigDocument c) => new()
    {
        Aliases = c.Aliases,
        IPv4Address = c.IPv4Address,
        IPv6Address = c.IPv6Address,
        LinkLocalIPs = c.LinkLocalIPs,
        Links = c.Links,
        DriverOpts = c.DriverOpts,
        MacAddress = c.MacAddress,
        GwPriority = c.GwPriority,
    };

    private static EndpointDocument ToDocument(Endpoint e) => new()
    {
        Id = e.Id,
        NetworkId = e.NetworkId,
        ContainerId = e.ContainerId,
        InterfaceName = e.InterfaceName,
        HostInterfaceName = e.HostInterfaceName,
        MacAddress = e.MacAddress,
        IPv4 = e.IPv4,
        IPv6 = e.IPv6,
        Gateway = e.Gateway,
        GatewayIPv6 = e.GatewayIPv6,
        LinkLocalIPs = [.. e.LinkLocalIPs],
        IsDefaultGateway = e.IsDefaultGateway,
        Mtu = e.Mtu,
        Ports = [.. e.Ports.Select(p => new PortMappingDocument { Protocol = p.Protocol, HostIp = p.HostIp, HostPort = p.HostPort, ContainerIp = p.ContainerIp, ContainerPort = p.ContainerPort })],
    };

    private static Endpoint FromDocument(EndpointDocument e) => new()
    {
        Id = e.Id,
        NetworkId = e.NetworkId,
        ContainerId = e.ContainerId,
        InterfaceName = e.InterfaceName,
        HostInterfaceName = e.HostInterfaceName,
        MacAddress = e.MacAddress,
        IPv4 = e.IPv4,
        IPv6 = e.IPv6,
        Gateway = e.Gateway,
        GatewayIPv6 = e.GatewayIPv6,
        LinkLocalIPs = e.LinkLocalIPs,
        IsDefaultGateway = e.IsDefaultGateway,
        Mtu = e.Mtu,
        Ports = [.. e.Ports.Select(p => new NetPortal.Core.Ports.PortMapping(p.Protocol, p.HostIp, p.HostPort, p.ContainerIp, p.ContainerPort))],
    };

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> map) =>
        map.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}
