using System.Net;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Containers;

public sealed partial class ContainerService
{
    /// <summary>An endpoint decided (addresses reserved, registered) but not yet plumbed into the kernel.</summary>
    private sealed record PlannedEndpoint(int Index, Network Network, Endpoint Endpoint, int GwPriority);

    private List<PlannedEndpoint> PlanEndpoints(Container c, Stack<(string What, Action Undo)> undo)
    {
        var planned = new List<PlannedEndpoint>();
        var used = new HashSet<string>();
        for (var i = 0; i < c.Attachments.Count; i++)
        {
            var a = c.Attachments[i];
            Network n;
            try
            {
                n = networks.Inspect(a.NetworkId.Length > 0 ? a.NetworkId : a.NetworkName);
            }
            catch (NetPortalException e) when (e.Kind == ErrorKind.NotFound)
            {
                throw NetPortalException.NotFound($"failed to set up container networking: network {a.NetworkName} not found");
            }
            var p = PlanEndpoint(c, a.Config, n, NextInterfaceName(used), undo, i);
            used.Add(p.Endpoint.InterfaceName);
            planned.Add(p);
        }
        return planned;
    }

    private static string NextInterfaceName(ICollection<string> used)
    {
        for (var i = 0; ; i++)
            if (!used.Contains("eth" + i)) return "eth" + i;
    }

    private PlannedEndpoint PlanEndpoint(Container c, EndpointConfig config, Network n, string ifName, Stack<(string What, Action Undo)> undo, int index)
    {
        if (n.Driver == "host") throw NetPortalException.InvalidParameter("cannot connect container to host network - container must be created in host network mode");
        if (n.Driver == "null") throw NetPortalException.InvalidParameter("container cannot be connected to multiple networks with one of the networks in private (none) mode");
        EndpointDriverFor(n);
        string ipv4 = "", ipv6 = "", gw4 = "", gw6 = "";
        IPAddress? v4 = null;
        var pool4 = n.EnableIPv4 ? n.Pools.FirstOrDefault(p => !p.IsIPv6) : null;
        if (pool4 is not null)
        {
            v4 = ipam.RequestAddress(n.Id, false, config.IPv4Address is { } s4 ? IPAddress.Parse(s4) : null);
            var reserved = v4;
            undo.Push(($"release {v4}", () => ipam.ReleaseAddress(n.Id, reserved)));
            ipv4 = $"{v4}/{Cidr.Parse(pool4.Subnet).PrefixLength}";
            gw4 = pool4.Gateway ?? "";
        }
        var pool6 = n.EnableIPv6 ? n.Pools.FirstOrDefault(p => p.IsIPv6) : null;
        if (pool6 is not null)
        {
            var v6 = ipam.RequestAddress(n.Id, true, config.IPv6Address is { } s6 ? IPAddress.Parse(s6) : null);
            undo.Push(($"release {v6}", () => ipam.ReleaseAddress(n.Id, v6)));
            ipv6 = $"{v6}/{Cidr.Parse(pool6.Subnet).PrefixLength}";
            gw6 = pool6.Gateway ?? "";
        }
        if (n.Driver == "ipvlan" && n.Option("ipvlan_mode") is "l3" or "l3s")
        {
            // ipvlan L3: the parent routes; the sandbox gets "default dev ethN" from the driver, never a gateway.
            gw4 = "";
            gw6 = "";
        }
        var mac = config.MacAddress is { Length: > 0 } m ? m : v4 is not null ? MacAddresses.FromIPv4(v4) : MacAddresses.Random();
        var mtu = n.Option("com.docker.network.driver.mtu") is { } mtuText && int.TryParse(mtuText, out var parsed) && parsed > 0 ? parsed : options.Mtu;
        var endpoint = new Endpoint
        {
            Id = PredefinedFactory.NewId(),
            NetworkId = n.Id,
            ContainerId = c.Id,
            InterfaceName = ifName,
            MacAddress = mac,
            IPv4 = ipv4,
            IPv6 = ipv6,
            Gateway = gw4,
            GatewayIPv6 = gw6,
            LinkLocalIPs = config.LinkLocalIPs,
            Mtu = mtu,
        };
        // Registered before any kernel work, so a concurrent network removal sees the network as in use.
        endpoints.Add(n.Id, Active(c, endpoint));
        undo.Push(("unregister endpoint", () => endpoints.Remove(n.Id, endpoint.Id)));
        return new PlannedEndpoint(index, n, endpoint, config.GwPriority);
    }

    /// <summary>Highest GwPriority wins, then the first network; internal networks and gateway-less ones never route out.</summary>
    private static PlannedEndpoint? ChooseGateway(IReadOnlyList<PlannedEndpoint> planned) =>
        planned.Where(p => !p.Network.Internal && (p.Endpoint.Gateway.Length > 0 || p.Endpoint.GatewayIPv6.Length > 0))
            .OrderByDescending(p => p.GwPriority)
            .ThenBy(p => p.Index)
            .FirstOrDefault();

    private IEndpointDriver EndpointDriverFor(Network n) =>
        drivers.Get(n.Driver) as IEndpointDriver
        ?? throw NetPortalException.NotImplemented($"driver {n.Driver} cannot attach containers");

    private void ReleaseAddresses(string networkId, Endpoint e)
    {
        try
        {
            if (e.IPv4.Length > 0) ipam.ReleaseAddress(networkId, Cidr.ParseInterfaceAddress(e.IPv4).Address);
            if (e.IPv6.Length > 0) ipam.ReleaseAddress(networkId, Cidr.ParseInterfaceAddress(e.IPv6).Address);
        }
        catch (NetPortalException)
        {
            // The network (and so its pools) is already gone.
        }
    }

    private string HostsFor(Container c, IEnumerable<Endpoint> eps)
    {
        var self = eps.SelectMany(e => new[] { e.IPv4, e.IPv6 }).Where(a => a.Length > 0).Select(a => a[..a.IndexOf('/')]).ToList();
        if (c.NetworkMode == "host")
        {
            try { return File.ReadAllText("/etc/hosts"); }
            catch (IOException) { }
        }
        return ResolverFiles.Hosts(c.Spec.ExtraHosts, LinkEntries(c), self, c.Hostname, c.Spec.Domainname);
    }

    private string ResolvConfFor(Container c, IEnumerable<Network> nets)
    {
        var hostFile = host.ReadResolvConf();
        if (c.NetworkMode == "host") return hostFile;
        var list = nets.ToList();
        var embedded = list.Any(n => !n.IsPredefined);
        return ResolverFiles.ResolvConf(hostFile, embedded, c.Spec.Dns, c.Spec.DnsSearch, c.Spec.DnsOptions, list.Any(n => n.EnableIPv6));
    }

    /// <summary>Legacy links (--link name:alias) of the default bridge, to running containers on it.</summary>
    private List<ResolverFiles.LinkEntry> LinkEntries(Container c)
    {
        var list = new List<ResolverFiles.LinkEntry>();
        foreach (var (target, alias) in ParseLinks(c.Spec.Links))
        {
            Container t;
            try { t = Inspect(target); }
            catch (NetPortalException) { continue; }
            var ep = t.Attachments.FirstOrDefault(a => a.NetworkName == PredefinedNetworks.Bridge)?.Endpoint;
            if (ep is null || ep.IPv4.Length == 0) continue;
            list.Add(new ResolverFiles.LinkEntry(ep.IPv4[..ep.IPv4.IndexOf('/')], alias, t.Id[..12], t.Name));
        }
        return list;
    }

    private static IEnumerable<(string Target, string Alias)> ParseLinks(IEnumerable<string> links)
    {
        foreach (var l in links)
        {
            var parts = l.TrimStart('/').Split(':');
            var target = parts[0];
            var alias = parts.Length > 1 ? parts[1].Split('/').Last() : target;
            yield return (target, alias);
        }
    }

    /// <summary>Docker's link variables: ALIAS_NAME, ALIAS_ENV_*, and ALIAS_PORT* for the linked container's exposed ports.</summary>
    private IEnumerable<string> LinkEnvironment(Container c, IReadOnlyList<Attachment> attachments)
    {
        if (!attachments.Any(a => a.NetworkName == PredefinedNetworks.Bridge)) yield break;
        foreach (var (target, alias) in ParseLinks(c.Spec.Links))
        {
            Container t;
            try { t = Inspect(target); }
            catch (NetPortalException) { continue; }
            var prefix = alias.ToUpperInvariant().Replace('-', '_');
            yield return $"{prefix}_NAME=/{c.Name}/{alias}";
            var ep = t.Attachments.FirstOrDefault(a => a.NetworkName == PredefinedNetworks.Bridge)?.Endpoint;
            var ip = ep is { IPv4.Length: > 0 } ? ep.IPv4[..ep.IPv4.IndexOf('/')] : "";
            var ports = t.Spec.ExposedPorts.Select(p => p.Split('/')).Select(p => (Port: p[0], Proto: p.Length > 1 ? p[1] : "tcp"))
                .OrderBy(p => int.TryParse(p.Port, out var n) ? n : 0).ToList();
            if (ports.Count > 0 && ip.Length > 0)
            {
                yield return $"{prefix}_PORT={ports[0].Proto}://{ip}:{ports[0].Port}";
                foreach (var (port, proto) in ports)
                {
                    var p = $"{prefix}_PORT_{port}_{proto.ToUpperInvariant()}";
                    yield return $"{p}={proto}://{ip}:{port}";
                    yield return $"{p}_ADDR={ip}";
                    yield return $"{p}_PORT={port}";
                    yield return $"{p}_PROTO={proto}";
                }
            }
            foreach (var e in t.Spec.Env)
            {
                var eq = e.IndexOf('=');
                var key = eq < 0 ? e : e[..eq];
                if (key is "HOME" or "PATH" or "HOSTNAME") continue;
                yield return $"{prefix}_ENV_{key}={(eq < 0 ? "" : e[(eq + 1)..])}";
            }
        }
    }
}
