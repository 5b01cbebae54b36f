using NetPortal.Core.Containers;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Data.Tests;

internal static class SampleContainers
{
    private static int _next;

    /// <summary>A unique, freshly created container with nothing but the required fields.</summary>
    public static Container Plain(string? name = null)
    {
        var n = Interlocked.Increment(ref _next);
        return new Container
        {
            Id = $"{n:x8}".PadLeft(64, 'c'),
            Name = name ?? $"box{n}",
            Created = new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero).AddSeconds(n),
            Spec = new ContainerSpec { Image = "alpine" },
            NetworkMode = "bridge",
        };
    }

    /// <summary>
    /// Every field off its default: a full spec, a running state with pid, start time beyond long.MaxValue and
    /// odd offsets, a sandbox, and two attachments, the first with a live endpoint and the second without.
    /// </summary>
    public static Container EveryField()
    {
        const string id = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";
        const string appNet = "3f1c0b9e6a5d4c2b8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d";
        const string backNet = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
        return new Container
        {
            Id = id,
            Name = "web-1",
            Created = new DateTimeOffset(2025, 11, 30, 23, 59, 58, TimeSpan.FromHours(5.5)).AddTicks(1234567),
            NetworkMode = appNet,
            RestartCount = 3,
            Spec = new ContainerSpec
            {
                Name = "/web-1",
                Image = "nginx:1.27",
                Cmd = ["nginx", "-g", "daemon off;"],
                Entrypoint = ["/docker-entrypoint.sh"],
                Env = ["PATH=/usr/bin", "QUOTE=\"x\\y\"", "UNICODE=ünïcödé ✓"],
                Hostname = "web",
                Domainname = "example.test",
                WorkingDir = "/srv",
                Labels = new Dictionary<string, string> { ["zeta"] = "first", ["com.example.app"] = "web", ["alpha"] = "" },
                ExposedPorts = ["80/tcp", "443/tcp", "53/udp"],
                NetworkMode = "app-net",
                Dns = ["1.1.1.1", "2001:4860:4860::8888"],
                DnsSearch = ["example.test"],
                DnsOptions = ["ndots:2", "timeout:1"],
                ExtraHosts = ["db:10.0.0.5", "host.docker.internal:host-gateway"],
                Links = ["db:database"],
                PortBindings = new Dictionary<string, IReadOnlyList<PortBinding>>
                {
                    ["80/tcp"] = [new PortBinding("", "8080"), new PortBinding("::", "8080")],
                    ["443/tcp"] = [new PortBinding("127.0.0.1", "")],
                    ["53/udp"] = [],
                },
                PublishAllPorts = true,
                Sysctls = new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "1", ["net.core.somaxconn"] = "1024" },
                EndpointsConfig = new Dictionary<string, EndpointConfig>
                {
                    ["app-net"] = new EndpointConfig
                    {
                        Aliases = ["web", "www"],
                        IPv4Address = "172.28.5.10",
                        IPv6Address = "2001:db8:abcd::10",
                        LinkLocalIPs = ["169.254.1.1"],
                        Links = ["db:database"],
                        DriverOpts = new Dictionary<string, string> { ["com.example.opt"] = "on" },
                        MacAddress = "02:42:ac:1c:05:0a",
                        GwPriority = 10,
                    },
                    ["backend"] = new EndpointConfig(),
                },
            },
            Attachments =
            [
                new Attachment(appNet, "app-net",
                    new EndpointConfig
                    {
                        Aliases = ["web"],
                        IPv4Address = "172.28.5.10",
                        IPv6Address = null,
                        LinkLocalIPs = [],
                        Links = ["db:database"],
                        DriverOpts = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" },
                        MacAddress = null,
                        GwPriority = -5,
                    },
                    new Endpoint
                    {
                        Id = "e1".PadRight(64, '0'),
                        NetworkId = appNet,
                        ContainerId = id,
                        InterfaceName = "eth0",
                        HostInterfaceName = "veth1a2b3c4",
                        MacAddress = "02:42:ac:1c:05:0a",
                        IPv4 = "172.28.5.10/16",
                        IPv6 = "2001:db8:abcd::10/64",
                        Gateway = "172.28.5.254",
                        GatewayIPv6 = "2001:db8:abcd::1",
                        LinkLocalIPs = ["169.254.1.1", "fe80::1"],
                        IsDefaultGateway = true,
                        Mtu = 1450,
                    }),
                new Attachment(backNet, "backend", new EndpointConfig { Aliases = ["api"] }, null),
            ],
            State = new ContainerState
            {
                Status = "running",
                Pid = 4242,
                PidStartTime = ulong.MaxValue - 7,
                ExitCode = 137,
                Error = "previous run: \"killed\"",
                StartedAt = new DateTimeOffset(2025, 12, 1, 0, 0, 1, TimeSpan.FromHours(-3.5)).AddTicks(9999999),
                FinishedAt = new DateTimeOffset(2025, 11, 30, 23, 0, 0, TimeSpan.Zero).AddTicks(1),
            },
            Sandbox = new SandboxInfo(
                "5a".PadRight(64, 'b'),
                "/var/lib/netportal/sandboxes/5abb/net",
                "/var/lib/netportal/sandboxes/5abb",
                OwnsNetwork: true),
        };
    }
}
