using System.Text.Json;
using NetPortal.Core.Networks;
using NetPortal.Data.Entities;

namespace NetPortal.Data;

internal static class NetworkMapping
{
    public static NetworkEntity ToEntity(Network network) => new()
    {
        Id = network.Id,
        Name = network.Name,
        Driver = network.Driver,
        Scope = network.Scope,
        Created = network.Created,
        EnableIPv4 = network.EnableIPv4,
        EnableIPv6 = network.EnableIPv6,
        Internal = network.Internal,
        Attachable = network.Attachable,
        Ingress = network.Ingress,
        ConfigOnly = network.ConfigOnly,
        ConfigFrom = network.ConfigFrom,
        IpamDriver = network.IpamDriver,
        IpamOptions = network.IpamOptions is null ? null : ToJson(network.IpamOptions),
        Options = ToJson(network.Options),
        Labels = ToJson(network.Labels),
        Pools = network.Pools.Select((p, i) => new IpamPoolEntity
        {
            NetworkId = network.Id,
            Ordinal = i,
            Subnet = p.Subnet,
            IPRange = p.IPRange,
            Gateway = p.Gateway,
            SubnetRequested = p.SubnetRequested,
            GatewayRequested = p.GatewayRequested,
            AuxiliaryAddresses = ToJson(p.AuxiliaryAddresses),
        }).ToList(),
    };

    public static Network ToNetwork(NetworkEntity e) => new()
    {
        Id = e.Id,
        Name = e.Name,
        Driver = e.Driver,
        Scope = e.Scope,
        Created = e.Created,
        EnableIPv4 = e.EnableIPv4,
        EnableIPv6 = e.EnableIPv6,
        Internal = e.Internal,
        Attachable = e.Attachable,
        Ingress = e.Ingress,
        ConfigOnly = e.ConfigOnly,
        ConfigFrom = e.ConfigFrom,
        IpamDriver = e.IpamDriver,
        IpamOptions = e.IpamOptions is null ? null : FromJson(e.IpamOptions),
        Options = FromJson(e.Options),
        Labels = FromJson(e.Labels),
        Pools = e.Pools
            .OrderBy(p => p.Ordinal)
            .Select(p => new IpamPool(
                p.Subnet, p.IPRange, p.Gateway, p.SubnetRequested, p.GatewayRequested, FromJson(p.AuxiliaryAddresses)))
            .ToList(),
    };

    private static string ToJson(IReadOnlyDictionary<string, string> map) => JsonSerializer.Serialize(map);

    private static Dictionary<string, string> FromJson(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json)
        ?? throw new InvalidDataException($"expected a JSON object, got {json}");
}
