using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NetPortal.Api.Contracts;
using NetPortal.Api.Networks;
using NetPortal.Core.Containers;
using NetPortal.Core.Networks;

namespace NetPortal.Api.Containers;

/// <summary>Domain container → Docker's inspect and list shapes (API ≤ 1.51 NetworkSettings).</summary>
public static partial class ContainerMapping
{
    public const string ZeroTime = "0001-01-01T00:00:00Z";

    public static ContainerInspectResponse ToInspect(this Container c, Version apiVersion)
    {
        var args = CommandLine(c);
        var dir = c.Sandbox?.Directory;
        return new ContainerInspectResponse
        {
            Id = c.Id,
            Created = NetworkMapping.FormatTime(c.Created),
            Path = args.Count > 0 ? args[0] : "",
            Args = args.Skip(1).ToList(),
            State = ToState(c.State),
            Image = ImageId(c.Spec.Image),
            ResolvConfPath = dir is null ? "" : dir + "/resolv.conf",
            HostnamePath = dir is null ? "" : dir + "/hostname",
            HostsPath = dir is null ? "" : dir + "/hosts",
            LogPath = "",
            Name = "/" + c.Name,
            RestartCount = c.RestartCount,
            HostConfig = ToHostConfig(c),
            Config = ToConfig(c),
            NetworkSettings = ToNetworkSettings(c, apiVersion),
        };
    }

    public static ContainerSummary ToSummary(this Container c, DateTimeOffset now)
    {
        var args = CommandLine(c);
        var command = args.Count == 0 ? "" : string.Join(' ', [args[0], .. args.Skip(1).Select(a => a.Contains(' ') ? $"'{a}'" : a)]);
        return new ContainerSummary
        {
            Id = c.Id,
            Names = ["/" + c.Name],
            Image = c.Spec.Image,
            ImageID = ImageId(c.Spec.Image),
            Command = command,
            Created = c.Created.ToUnixTimeSeconds(),
            Ports = SummaryPorts(c),
            Labels = new Dictionary<string, string>(c.Spec.Labels),
            State = c.State.Status,
            Status = StatusText(c.State, now),
            HostConfig = new ContainerSummaryHostConfig { NetworkMode = HostNetworkMode(c) },
            NetworkSettings = new ContainerSummaryNetworkSettings { Networks = Networks(c, apiVersion: null) },
        };
    }

    /// <summary>Docker's image ID for a name: NetPortal has no images, so a stable sha256 of the name stands in.</summary>
    public static string ImageId(string image) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image)));

    /// <summary>ps's Status column, as Go's State.String(): "Up 5 seconds", "Exited (3) 2 minutes ago", "Created".</summary>
    public static string StatusText(ContainerState s, DateTimeOffset now)
    {
        if (s.Running) return "Up " + HumanDuration(now - (s.StartedAt ?? now));
        if (s.Status == "removing") return "Removal In Progress";
        if (s.Status == "dead") return "Dead";
        if (s.StartedAt is null || s.StartedAt == DateTimeOffset.MinValue) return "Created";
        if (s.FinishedAt is not { } finished) return "";
        return $"Exited ({s.ExitCode}) {HumanDuration(now - finished)} ago";
    }

    /// <summary>go-units HumanDuration.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return $"{seconds} seconds";
        var minutes = (long)d.TotalMinutes;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";
        var hours = (long)Math.Round(d.TotalHours, MidpointRounding.AwayFromZero);
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 7 * 2) return $"{hours / 24} days";
        if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return $"{(long)d.TotalHours / 24 / 365} years";
    }

    /// <summary>Docker's IsUserDefined: anything but default, bridge, host, none and container:&lt;x&gt;.</summary>
    public static bool IsUserDefined(string networkName) =>
        !PredefinedNetworks.IsPredefinedName(networkName) && !networkName.StartsWith("container:", StringComparison.Ordinal);

    private static ContainerStateResource ToState(ContainerState s) => new()
    {
        Status = s.Status,
        Running = s.Running,
        Dead = s.Status == "dead",
        Pid = s.Running ? s.Pid : 0,
        ExitCode = s.ExitCode,
        Error = s.Error,
        StartedAt = Time(s.StartedAt),
        FinishedAt = Time(s.FinishedAt),
    };

    private static string Time(DateTimeOffset? t) => t is { } v && v != DateTimeOffset.MinValue ? NetworkMapping.FormatTime(v) : ZeroTime;

    /// <summary>Entrypoint then Cmd: Path is the first word, Args the rest.</summary>
    private static List<string> CommandLine(Container c) => [.. c.Spec.Entrypoint, .. c.Spec.Cmd];

    /// <summary>What the user asked for ("default" already became "bridge"); container:&lt;x&gt; shows the resolved id, as dockerd after start.</summary>
    private static string HostNetworkMode(Container c) =>
        c.NetworkMode.StartsWith("container:", StringComparison.Ordinal) ? c.NetworkMode
        : string.IsNullOrEmpty(c.Spec.NetworkMode) ? PredefinedNetworks.Bridge : c.Spec.NetworkMode;

    private static HostConfig ToHostConfig(Container c) => new()
    {
        NetworkMode = HostNetworkMode(c),
        PortBindings = c.Spec.PortBindings.ToDictionary(
            kv => kv.Key,
            kv => (List<PortBindingResource>?)kv.Value.Select(b => new PortBindingResource { HostIp = b.HostIp, HostPort = b.HostPort }).ToList()),
        RestartPolicy = new RestartPolicy(),
        Dns = [.. c.Spec.Dns],
        DnsOptions = [.. c.Spec.DnsOptions],
        DnsSearch = [.. c.Spec.DnsSearch],
        ExtraHosts = [.. c.Spec.ExtraHosts],
        Links = c.Spec.Links.Count == 0 ? null : c.Spec.Links.Select(l => InspectLink(c.Name, l)).ToList(),
        PublishAllPorts = c.Spec.PublishAllPorts,
        Sysctls = c.Spec.Sysctls.Count == 0 ? null : new Dictionary<string, string>(c.Spec.Sysctls),
    };

    /// <summary>"c2:alias" on container c1 reads "/c2:/c1/alias" in inspect (alias defaults to the target's name).</summary>
    public static string InspectLink(string containerName, string link)
    {
        var colon = link.IndexOf(':');
        var target = (colon < 0 ? link : link[..colon]).TrimStart('/');
        var alias = colon < 0 ? target : link[(colon + 1)..].TrimStart('/');
        return $"/{target}:/{containerName}/{alias}";
    }

    private static ContainerConfig ToConfig(Container c) => new()
    {
        Hostname = c.Hostname,
        Domainname = c.Spec.Domainname,
        User = "",
        ExposedPorts = c.Spec.ExposedPorts.Count == 0 ? null : c.Spec.ExposedPorts.Order(StringComparer.Ordinal).ToDictionary(p => p, _ => (EmptyObject?)new EmptyObject()),
        Env = c.Spec.Env.Count == 0 ? null : [.. c.Spec.Env],
        Cmd = c.Spec.Cmd.Count == 0 ? null : [.. c.Spec.Cmd],
        Image = c.Spec.Image,
        WorkingDir = c.Spec.WorkingDir,
        Entrypoint = c.Spec.Entrypoint.Count == 0 ? null : [.. c.Spec.Entrypoint],
        Labels = new Dictionary<string, string>(c.Spec.Labels),
    };

    private static NetworkSettingsResource ToNetworkSettings(Container c, Version apiVersion)
    {
        var bridge = c.Attachments.FirstOrDefault(a => a.NetworkName == PredefinedNetworks.Bridge)?.Endpoint;
        var (ip, prefix) = SplitCidr(bridge?.IPv4);
        var (ip6, prefix6) = SplitCidr(bridge?.IPv6);
        return new NetworkSettingsResource
        {
            SandboxID = c.Sandbox?.Id ?? "",
            SandboxKey = c.Sandbox?.Key ?? "",
            Ports = InspectPorts(c),
            EndpointID = bridge?.Id ?? "",
            Gateway = bridge?.Gateway ?? "",
            GlobalIPv6Address = ip6,
            GlobalIPv6PrefixLen = prefix6,
            IPAddress = ip,
            IPPrefixLen = prefix,
            IPv6Gateway = bridge?.GatewayIPv6 ?? "",
            MacAddress = bridge?.MacAddress ?? "",
            Networks = Networks(c, apiVersion),
        };
    }

    /// <summary>Networks by name, sorted as Go's encoder writes map keys.</summary>
    private static Dictionary<string, EndpointSettings> Networks(Container c, Version? apiVersion)
    {
        var result = new Dictionary<string, EndpointSettings>();
        foreach (var a in c.Attachments.OrderBy(a => a.NetworkName, StringComparer.Ordinal))
            result[a.NetworkName] = ToEndpointSettings(c, a, apiVersion);
        return result;
    }

    /// <summary>
    /// One attachment: the user's config always, the operational fields only while the endpoint exists
    /// (dockerd clears them at stop and keeps NetworkID, Aliases and IPAMConfig).
    /// </summary>
    public static EndpointSettings ToEndpointSettings(Container c, Attachment a, Version? apiVersion)
    {
        var e = a.Endpoint;
        var cfg = a.Config;
        var (ip, prefix) = SplitCidr(e?.IPv4);
        var (ip6, prefix6) = SplitCidr(e?.IPv6);
        var userDefined = IsUserDefined(a.NetworkName);
        List<string>? aliases = cfg.Aliases.Count == 0 ? null : [.. cfg.Aliases];
        // API < 1.45 listed the short id and hostname among the aliases of user-defined networks.
        if (apiVersion is not null && apiVersion < new Version(1, 45) && userDefined)
            aliases = Dedup([.. aliases ?? [], c.Id[..12], c.Hostname]);
        return new EndpointSettings
        {
            IPAMConfig = cfg.HasIpamConfig
                ? new EndpointIPAMConfig
                {
                    IPv4Address = Empty(cfg.IPv4Address),
                    IPv6Address = Empty(cfg.IPv6Address),
                    LinkLocalIPs = cfg.LinkLocalIPs.Count == 0 ? null : [.. cfg.LinkLocalIPs],
                }
                : null,
            Links = cfg.Links.Count == 0 ? null : [.. cfg.Links],
            Aliases = aliases,
            MacAddress = e?.MacAddress ?? cfg.MacAddress ?? "",
            DriverOpts = cfg.DriverOpts.Count == 0 ? null : new Dictionary<string, string>(cfg.DriverOpts),
            GwPriority = cfg.GwPriority,
            NetworkID = a.NetworkId,
            EndpointID = e?.Id ?? "",
            Gateway = e?.Gateway ?? "",
            IPAddress = ip,
            IPPrefixLen = prefix,
            IPv6Gateway = e?.GatewayIPv6 ?? "",
            GlobalIPv6Address = ip6,
            GlobalIPv6PrefixLen = prefix6,
            DNSNames = userDefined ? [.. ContainerService.DnsNames(c, a)] : null,
        };
    }

    /// <summary>
    /// Running: every exposed or bound port with the host ports actually published (null when exposed only);
    /// otherwise {} (dockerd drops them at stop).
    /// </summary>
    private static Dictionary<string, List<PortBindingResource>?> InspectPorts(Container c)
    {
        var ports = new Dictionary<string, List<PortBindingResource>?>();
        if (!c.State.Running || c.Sandbox is null) return ports;
        var published = c.Attachments.Where(a => a.Endpoint is not null).SelectMany(a => a.Endpoint!.Ports).ToList();
        var keys = c.Spec.ExposedPorts.Concat(c.Spec.PortBindings.Keys).Concat(published.Select(m => $"{m.ContainerPort}/{m.Protocol}"));
        foreach (var port in keys.Select(Normalize).Distinct().Order(StringComparer.Ordinal))
        {
            var mine = published.Where(m => $"{m.ContainerPort}/{m.Protocol}" == port).ToList();
            ports[port] = mine.Count > 0
                ? mine.Select(m => new PortBindingResource { HostIp = m.HostIp, HostPort = m.HostPort.ToString(CultureInfo.InvariantCulture) }).ToList()
                : null;
        }
        return ports;

        static string Normalize(string p) => p.Contains('/') ? p : p + "/tcp";
    }

    private static List<PortSummary> SummaryPorts(Container c)
    {
        var list = new List<PortSummary>();
        if (!c.State.Running) return list;
        foreach (var (port, bindings) in InspectPorts(c))
        {
            if (!TryParsePort(port, out var number, out var proto)) continue;
            if (bindings is null)
            {
                list.Add(new PortSummary { PrivatePort = number, Type = proto });
                continue;
            }
            foreach (var b in bindings)
                list.Add(new PortSummary
                {
                    IP = b.HostIp,
                    PrivatePort = number,
                    PublicPort = int.TryParse(b.HostPort, NumberStyles.None, CultureInfo.InvariantCulture, out var pub) ? pub : null,
                    Type = proto,
                });
        }
        return list;
    }


    private static bool TryParsePort(string port, out int number, out string proto)
    {
        var slash = port.IndexOf('/');
        proto = slash < 0 ? "tcp" : port[(slash + 1)..];
        return int.TryParse(slash < 0 ? port : port[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    private static (string Address, int Prefix) SplitCidr(string? cidr)
    {
        if (string.IsNullOrEmpty(cidr)) return ("", 0);
        var slash = cidr.IndexOf('/');
        return slash < 0 ? (cidr, 0) : (cidr[..slash], int.Parse(cidr[(slash + 1)..], CultureInfo.InvariantCulture));
    }

    private static List<string> Dedup(IEnumerable<string> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return items.Where(s => !string.IsNullOrEmpty(s) && seen.Add(s)).ToList();
    }

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
