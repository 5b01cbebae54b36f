using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NetPortal.Core.Errors;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Containers;

public sealed partial class ContainerService
{
    [GeneratedRegex(@"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex ValidName();

    public async Task<(Container Container, IReadOnlyList<string> Warnings)> CreateAsync(ContainerSpec spec, Version apiVersion, CancellationToken ct = default)
    {
        if (spec.Cmd.Count == 0 && spec.Entrypoint.Count == 0) throw NetPortalException.InvalidParameter("No command specified");
        if (!string.IsNullOrEmpty(spec.Name) && !ValidName().IsMatch(spec.Name))
            throw NetPortalException.InvalidParameter($"Invalid container name ({spec.Name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");

        var mode = string.IsNullOrEmpty(spec.NetworkMode) || spec.NetworkMode == "default" ? "bridge" : spec.NetworkMode;
        var endpointsConfig = spec.EndpointsConfig.ToDictionary(kv => kv.Key == "default" ? "bridge" : kv.Key, kv => kv.Value);
        if (apiVersion < new Version(1, 44) && endpointsConfig.Count > 1)
            throw NetPortalException.InvalidParameter($"Container cannot be created with multiple network endpoints: {string.Join(", ", endpointsConfig.Keys.Order(StringComparer.Ordinal))}");
        ValidateModeConflicts(spec, mode);

        var resolvedMode = mode;
        var attachments = new List<Attachment>();
        if (mode.StartsWith("container:", StringComparison.Ordinal))
        {
            var target = mode["container:".Length..];
            if (target.Length == 0) throw NetPortalException.InvalidParameter($"invalid network mode: invalid container format container:<name|id>");
            resolvedMode = "container:" + Inspect(target).Id;
        }
        else if (mode is not ("host" or "none"))
        {
            // The primary network first (it gives eth0), then the other EndpointsConfig entries.
            attachments.Add(NewAttachment(mode, endpointsConfig.GetValueOrDefault(mode)));
            foreach (var (key, cfg) in endpointsConfig.Where(kv => kv.Key != mode && !SameNetwork(kv.Key, mode)))
                attachments.Add(NewAttachment(key, cfg));
        }
        else if (endpointsConfig.Keys.Any(k => k != mode))
        {
            throw NetPortalException.InvalidParameter("container sharing network namespace with another container or host cannot be connected to any other network");
        }

        var errors = new List<string>();
        foreach (var a in attachments) ValidateEndpoint(a, errors, prefix: $"invalid config for network {a.NetworkName}: ");
        if (errors.Count > 0) throw NetPortalException.InvalidParameter(string.Join("\n", errors));

        await _names.WaitAsync(ct);
        try
        {
            var name = string.IsNullOrEmpty(spec.Name) ? NameGenerator.Next(n => _containers.Values.Any(c => c.Name == n)) : spec.Name.TrimStart('/');
            var clash = _containers.Values.FirstOrDefault(c => c.Name == name);
            if (clash is not null)
                throw NetPortalException.Conflict($"Conflict. The container name \"/{name}\" is already in use by container \"{clash.Id}\". You have to remove (or rename) that container to be able to reuse that name.");
            var container = new Container
            {
                Id = PredefinedFactory.NewId(),
                Name = name,
                Created = time.GetUtcNow(),
                Spec = spec with { Name = name, NetworkMode = mode == "default" ? "bridge" : mode },
                NetworkMode = resolvedMode,
                Attachments = attachments,
            };
            await store.AddAsync(container, ct);
            _containers[container.Id] = container;
            Emit(container, "create");
            return (container, []);
        }
        finally
        {
            _names.Release();
        }
    }

    /// <summary>A network named at create need not exist yet (Docker resolves it at start); keep its id when it does.</summary>
    private Attachment NewAttachment(string term, EndpointConfig? config)
    {
        try
        {
            var n = networks.Inspect(term);
            return new Attachment(n.Id, n.Name, config ?? new EndpointConfig(), null);
        }
        catch (NetPortalException e) when (e.Kind == ErrorKind.NotFound)
        {
            return new Attachment("", term, config ?? new EndpointConfig(), null);
        }
    }

    private bool SameNetwork(string a, string b)
    {
        try
        {
            return networks.Inspect(a).Id == networks.Inspect(b).Id;
        }
        catch (NetPortalException)
        {
            return false;
        }
    }

    private static void ValidateModeConflicts(ContainerSpec spec, string mode)
    {
        if (mode.StartsWith("container:", StringComparison.Ordinal))
        {
            if (!string.IsNullOrEmpty(spec.Hostname)) throw NetPortalException.InvalidParameter("conflicting options: hostname and the network mode");
            if (spec.Links.Count > 0) throw NetPortalException.InvalidParameter("conflicting options: container type network can't be used with links. This would result in undefined behavior");
            if (spec.Dns.Count > 0) throw NetPortalException.InvalidParameter("conflicting options: dns and the network mode");
            if (spec.ExtraHosts.Count > 0) throw NetPortalException.InvalidParameter("conflicting options: custom host-to-IP mapping and the network mode");
            if (spec.PortBindings.Count > 0 || spec.PublishAllPorts) throw NetPortalException.InvalidParameter("conflicting options: port publishing and the container type network mode");
            if (spec.ExposedPorts.Count > 0) throw NetPortalException.InvalidParameter("conflicting options: port exposing and the container type network mode");
        }
        if (mode == "host" && spec.Links.Count > 0)
            throw NetPortalException.InvalidParameter("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
    }

    /// <summary>Docker's endpoint validation (400 "invalid endpoint settings:" with one line per problem).</summary>
    private void ValidateEndpoint(Attachment a, List<string> errors, string prefix)
    {
        var problems = new List<string>();
        var c = a.Config;
        Network? n = null;
        if (a.NetworkId.Length > 0) n = networks.Inspect(a.NetworkId);
        var userDefined = n is null ? !PredefinedNetworks.IsPredefinedName(a.NetworkName) : !n.IsPredefined;
        IPAddress? v4 = null, v6 = null;
        if (c.IPv4Address is not null && (!IPAddress.TryParse(c.IPv4Address, out v4) || v4.AddressFamily != AddressFamily.InterNetwork))
            problems.Add($"invalid IPv4 address: {c.IPv4Address}");
        if (c.IPv6Address is not null && (!IPAddress.TryParse(c.IPv6Address, out v6) || v6.AddressFamily != AddressFamily.InterNetworkV6))
            problems.Add($"invalid IPv6 address: {c.IPv6Address}");
        foreach (var ll in c.LinkLocalIPs)
            if (!IPAddress.TryParse(ll, out var lla) || !(lla.IsIPv6LinkLocal || Cidr.Parse("169.254.0.0/16").Contains(lla)))
                problems.Add($"invalid link-local IP address: {ll}");
        if ((c.IPv4Address is not null || c.IPv6Address is not null) && !userDefined)
            problems.Add("user specified IP address is supported on user defined networks only");
        else if (n is not null)
        {
            foreach (var ip in new[] { v4, v6 }.Where(ip => ip is not null))
            {
                var pools = n.Pools.Where(p => p.IsIPv6 == (ip!.AddressFamily == AddressFamily.InterNetworkV6)).ToList();
                if (!pools.Any(p => p.SubnetRequested))
                    problems.Add("user specified IP address is supported only when connecting to networks with user configured subnets");
                else if (!pools.Any(p => Cidr.Parse(p.IPRange ?? p.Subnet).Contains(ip!) || Cidr.Parse(p.Subnet).Contains(ip!)))
                    problems.Add($"no configured subnet or ip-range contain the IP address {ip}");
            }
        }
        if (c.Aliases.Count > 0 && !userDefined)
            problems.Add("network-scoped alias is supported only for containers in user defined networks");
        if (c.MacAddress is { Length: > 0 } mac && !MacAddresses.TryParse(mac, out _))
        {
            errors.Add($"invalid MAC address {mac}");
            return;
        }
        if (problems.Count == 1) errors.Add(prefix + "invalid endpoint settings:\n" + problems[0]);
        else if (problems.Count > 1) errors.Add(prefix + "invalid endpoint settings:\n" + string.Join("\n", problems.Select(p => "* " + p)));
    }
}
