using NetPortal.Core.Containers;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Insight;

/// <summary>The records the insight views start from: networks with their bridge reading, containers with their live endpoints.</summary>
public sealed class InsightSource(NetworkService networks, ContainerService containers, IBridgeSpecs bridges)
{
    public NetworkService NetworkService => networks;

    public ContainerService ContainerService => containers;

    public IReadOnlyList<InsightNetwork> Networks() => networks.All.Select(Describe).ToList();

    public InsightNetwork Describe(Network n)
    {
        var spec = n.Driver == "bridge" ? bridges.SpecOf(n) : null;
        return new InsightNetwork(
            n.Id,
            n.Name,
            n.Driver,
            spec?.BridgeName,
            n.Internal,
            n.Pools.Select(p => p.Subnet).ToList(),
            n.Pools.Where(p => p.Gateway is not null).Select(p => p.Gateway!).ToList(),
            spec?.EnableIcc ?? true,
            spec is { EnableMasquerade: true, Internal: false });
    }

    public IReadOnlyList<InsightSandbox> Sandboxes() =>
        containers.All.OrderBy(c => c.Name, StringComparer.Ordinal).Select(Describe).ToList();

    public static InsightSandbox Describe(Container c)
    {
        var endpoints = c.State.Running
            ? c.Attachments.Where(a => a.Endpoint is not null).Select(a => new InsightEndpoint(
                a.NetworkId, a.NetworkName, a.Endpoint!.InterfaceName, a.Endpoint.HostInterfaceName, a.Endpoint.MacAddress,
                a.Endpoint.IPv4, a.Endpoint.IPv6, a.Endpoint.IsDefaultGateway) { Gateway = a.Endpoint.Gateway }).ToList()
            : [];
        var ports = endpoints.Count > 0 ? c.Attachments.Where(a => a.Endpoint is not null).SelectMany(a => a.Endpoint!.Ports).ToList() : [];
        return new InsightSandbox(c.Id, c.Name, c.State.Status, c.NetworkMode, c.Sandbox?.Key ?? "", endpoints, ports) { Sandbox = c.Sandbox };
    }
}
