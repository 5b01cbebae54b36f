using System.Text.RegularExpressions;
using NetPortal.Api.Contracts;
using NetPortal.Core.Containers;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;

namespace NetPortal.Api.Containers;

/// <summary>Docker request bodies → ContainerSpec and EndpointConfig, with the router's version rules.</summary>
public static partial class ContainerMapping
{
    private static readonly Version V144 = new(1, 44);
    private static readonly Version V148 = new(1, 48);

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex ValidName();

    /// <summary>Checks ?name= as dockerd does; returns it without the leading "/" ("" when absent).</summary>
    public static string ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "";
        var bare = name.StartsWith('/') ? name[1..] : name;
        if (!ValidName().IsMatch(bare))
            throw NetPortalException.InvalidParameter($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        return bare;
    }

    /// <summary>
    /// The create body as the service takes it: "default" (and empty) network mode and endpoint key become "bridge";
    /// API &lt; 1.44 allows one endpoint; the deprecated container-wide MacAddress moves to the main endpoint.
    /// </summary>
    public static (ContainerSpec Spec, List<string> Warnings) ToSpec(this ContainerCreateRequest r, string? name, Version apiVersion)
    {
        var bare = ValidateName(name);
        var hc = r.HostConfig ?? new HostConfig();
        var mode = DefaultToBridge(hc.NetworkMode);
        var endpoints = EndpointsOf(r.NetworkingConfig?.EndpointsConfig);
        if (apiVersion < V144 && endpoints.Count > 1)
            throw NetPortalException.InvalidParameter("Container cannot be created with multiple network endpoints: " + string.Join(", ", endpoints.Keys.Order(StringComparer.Ordinal)));
        var warnings = new List<string>();
        MigrateMacAddress(r.MacAddress, mode, endpoints, apiVersion, warnings);

        var spec = new ContainerSpec
        {
            Name = bare,
            Image = r.Image ?? "",
            Cmd = r.Cmd ?? [],
            Entrypoint = r.Entrypoint ?? [],
            Env = r.Env ?? [],
            Hostname = r.Hostname ?? "",
            Domainname = r.Domainname ?? "",
            WorkingDir = r.WorkingDir ?? "",
            Labels = r.Labels ?? [],
            ExposedPorts = r.ExposedPorts?.Keys.ToList() ?? [],
            NetworkMode = mode,
            Dns = hc.Dns ?? [],
            DnsSearch = hc.DnsSearch ?? [],
            DnsOptions = hc.DnsOptions ?? [],
            ExtraHosts = hc.ExtraHosts ?? [],
            Links = hc.Links ?? [],
            PortBindings = (hc.PortBindings ?? []).ToDictionary(
                kv => kv.Key,
                kv => (IReadOnlyList<PortBinding>)(kv.Value ?? []).Select(b => new PortBinding(b.HostIp ?? "", b.HostPort ?? "")).ToList()),
            PublishAllPorts = hc.PublishAllPorts,
            Sysctls = hc.Sysctls ?? [],
            EndpointsConfig = endpoints.ToDictionary(kv => kv.Key, kv => kv.Value.ToEndpointConfig(apiVersion)),
        };
        return (spec, warnings);
    }

    /// <summary>EndpointSettings (create's EndpointsConfig value, connect's EndpointConfig) → the user-set part; GwPriority needs API 1.48.</summary>
    public static EndpointConfig ToEndpointConfig(this EndpointSettings? s, Version apiVersion)
    {
        if (s is null) return new EndpointConfig();
        return new EndpointConfig
        {
            Aliases = s.Aliases ?? [],
            IPv4Address = Empty(s.IPAMConfig?.IPv4Address),
            IPv6Address = Empty(s.IPAMConfig?.IPv6Address),
            LinkLocalIPs = s.IPAMConfig?.LinkLocalIPs ?? [],
            Links = s.Links ?? [],
            DriverOpts = s.DriverOpts ?? [],
            MacAddress = Empty(s.MacAddress),
            GwPriority = apiVersion >= V148 ? s.GwPriority : 0,
        };
    }

    /// <summary>
    /// Connect's endpoint config. dockerd accepts MacAddress on connect since 1.44 but applies it only since 1.54,
    /// so below that it is dropped here.
    /// </summary>
    public static EndpointConfig ToConnectConfig(this EndpointSettings? s, Version apiVersion) =>
        s.ToEndpointConfig(apiVersion) with { MacAddress = null };

    private static string DefaultToBridge(string? mode) =>
        string.IsNullOrEmpty(mode) || mode == PredefinedNetworks.Default ? PredefinedNetworks.Bridge : mode;

    private static Dictionary<string, EndpointSettings> EndpointsOf(Dictionary<string, EndpointSettings?>? config)
    {
        var result = new Dictionary<string, EndpointSettings>();
        var errors = new List<string>();
        foreach (var (key, value) in config ?? [])
        {
            if (value is null)
            {
                errors.Add($"invalid config for network {key}: EndpointsConfig is nil");
                continue;
            }
            result[DefaultToBridge(key)] = value;
        }
        if (errors.Count > 0) throw NetPortalException.InvalidParameter(string.Join("\n", errors.Order(StringComparer.Ordinal)));
        return result;
    }

    /// <summary>dockerd's handleMACAddressBC.</summary>
    private static void MigrateMacAddress(string? macAddress, string mode, Dictionary<string, EndpointSettings> endpoints, Version apiVersion, List<string> warnings)
    {
        var bridgeOrUser = mode == PredefinedNetworks.Bridge || IsUserDefined(mode);
        if (apiVersion < V144)
        {
            if (string.IsNullOrEmpty(macAddress))
            {
                // The old API ignored endpoint MAC addresses.
                foreach (var ep in endpoints.Values) ep.MacAddress = "";
                return;
            }
            if (!bridgeOrUser) throw NetPortalException.InvalidParameter("conflicting options: mac-address and the network mode");
            MainEndpoint(mode, endpoints).MacAddress = macAddress;
            return;
        }
        if (string.IsNullOrEmpty(macAddress)) return;
        if (bridgeOrUser)
        {
            var ep = MainEndpoint(mode, endpoints);
            if (string.IsNullOrEmpty(ep.MacAddress)) ep.MacAddress = macAddress;
            else if (ep.MacAddress != macAddress)
                throw NetPortalException.InvalidParameter("the container-wide MAC address must match the endpoint-specific MAC address for the main network, or be left empty");
        }
        warnings.Add("The container-wide MacAddress field is now deprecated. It should be specified in EndpointsConfig instead.");
    }

    /// <summary>dockerd's epConfigForNetMode: the endpoint of the network mode, created when there is none.</summary>
    private static EndpointSettings MainEndpoint(string mode, Dictionary<string, EndpointSettings> endpoints)
    {
        if (endpoints.TryGetValue(mode, out var ep)) return ep;
        if (endpoints.Count == 0) return endpoints[mode] = new EndpointSettings();
        throw NetPortalException.InvalidParameter("HostConfig.NetworkMode must match the identity of a network in NetworkSettings.Networks");
    }
}
