using NetPortal.Api.Contracts;
using NetPortal.Core.Endpoints;
using NetPortal.Core.Networks;

namespace NetPortal.Api.Networks;

/// <summary>Domain network ⇄ Docker wire shapes.</summary>
public static class NetworkMapping
{
    public static NetworkResource ToResource(this Network n, Version apiVersion, IEndpointDirectory? endpoints)
    {
        var containers = new Dictionary<string, EndpointResource>();
        if (endpoints is not null)
            foreach (var e in endpoints.ActiveEndpoints(n.Id))
                containers[e.ContainerId] = new EndpointResource(e.ContainerName, e.EndpointId, e.MacAddress, e.IPv4Address, e.IPv6Address);

        List<IpamConfigResource>? config = null;
        if (n.Pools.Count > 0 || (n.Driver is not ("host" or "null")))
        {
            config = n.Pools.Select(p => new IpamConfigResource
            {
                Subnet = p.Subnet,
                IPRange = p.IPRange,
                // dockerd v28 shows the gateway when the user named it or the pool was picked for them.
                Gateway = p.GatewayRequested || !p.SubnetRequested ? p.Gateway : null,
                AuxiliaryAddresses = p.AuxiliaryAddresses.Count > 0 ? new Dictionary<string, string>(p.AuxiliaryAddresses) : null,
            }).ToList();
        }

        return new NetworkResource
        {
            Name = n.Name,
            Id = n.Id,
            Created = FormatTime(n.Created),
            Scope = n.Scope,
            Driver = n.Driver,
            EnableIPv4 = apiVersion >= new Version(1, 48) ? n.EnableIPv4 : null,
            EnableIPv6 = n.EnableIPv6,
            IPAM = new IpamResource
            {
                Driver = n.IpamDriver,
                Options = n.IpamOptions is null ? null : new Dictionary<string, string>(n.IpamOptions),
                Config = config,
            },
            Internal = n.Internal,
            Attachable = n.Attachable,
            Ingress = n.Ingress,
            ConfigFrom = new ConfigReference { Network = n.ConfigFrom },
            ConfigOnly = n.ConfigOnly,
            Containers = containers,
            Options = new Dictionary<string, string>(n.Options),
            Labels = new Dictionary<string, string>(n.Labels),
        };
    }

    public static NetworkSpec ToSpec(this NetworkCreateRequest r, Version apiVersion) => new()
    {
        Name = r.Name ?? "",
        Driver = r.Driver ?? "",
        Scope = r.Scope ?? "",
        Internal = r.Internal,
        Attachable = r.Attachable,
        Ingress = r.Ingress,
        ConfigOnly = r.ConfigOnly,
        ConfigFrom = string.IsNullOrEmpty(r.ConfigFrom?.Network) ? null : r.ConfigFrom.Network,
        // EnableIPv4 arrived in API 1.48; older clients cannot have meant it.
        EnableIPv4 = apiVersion >= new Version(1, 48) ? r.EnableIPv4 : null,
        EnableIPv6 = r.EnableIPv6,
        IpamDriver = r.IPAM?.Driver ?? "",
        IpamOptions = r.IPAM?.Options,
        IpamConfigs = (r.IPAM?.Config ?? []).Where(c => c is not null)
            .Select(c => new IpamPoolRequest(Empty(c!.Subnet), Empty(c.IPRange), Empty(c.Gateway), c.AuxiliaryAddresses))
            .ToList(),
        Options = r.Options ?? [],
        Labels = r.Labels ?? [],
    };

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    /// <summary>RFC 3339 with the fraction Go prints (trailing zeros dropped).</summary>
    public static string FormatTime(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture) + "Z";
}
