using NetPortal.Core.Containers;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Api.Tests.Containers;

/// <summary>Hand-built domain containers for the mapping tests.</summary>
public static class ContainerFixtures
{
    public const string Id = "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708";
    public const string BridgeId = "b000000000000000000000000000000000000000000000000000000000000001";
    public const string FooId = "f000000000000000000000000000000000000000000000000000000000000002";
    public const string HostId = "a000000000000000000000000000000000000000000000000000000000000003";
    public const string NoneId = "c000000000000000000000000000000000000000000000000000000000000004";
    public const string EndpointId = "e000000000000000000000000000000000000000000000000000000000000005";
    public const string SandboxId = "5000000000000000000000000000000000000000000000000000000000000006";
    public static readonly DateTimeOffset Created = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Started = new(2025, 1, 1, 0, 0, 1, 500, TimeSpan.Zero);
    public static readonly DateTimeOffset Finished = new(2025, 1, 1, 0, 2, 0, TimeSpan.Zero);

    public static readonly SandboxInfo Sandbox = new(SandboxId, "/run/netportal/netns/3f2a1b4c5d6e", "/run/netportal/containers/" + Id, true);

    public static Endpoint BridgeEndpoint => new()
    {
        Id = EndpointId,
        NetworkId = BridgeId,
        ContainerId = Id,
        InterfaceName = "eth0",
        MacAddress = "02:42:ac:11:00:02",
        IPv4 = "172.17.0.2/16",
        Gateway = "172.17.0.1",
        IsDefaultGateway = true,
        // What the service publishes for -p 8080:80 with no host IP: 0.0.0.0 and [::] on the same port.
        Ports = [new("tcp", "0.0.0.0", 8080, "172.17.0.2", 80), new("tcp", "::", 8080, "172.17.0.2", 80)],
    };

    public static Endpoint FooEndpoint => new()
    {
        Id = EndpointId,
        NetworkId = FooId,
        ContainerId = Id,
        InterfaceName = "eth0",
        MacAddress = "02:42:0a:09:00:05",
        IPv4 = "10.9.0.5/24",
        Gateway = "10.9.0.1",
        IsDefaultGateway = true,
    };

    public static ContainerSpec Spec(string mode) => new()
    {
        Name = "c1",
        Image = "busybox",
        Cmd = ["sleep", "100"],
        NetworkMode = mode,
        Dns = [],
        ExposedPorts = mode == "bridge" ? ["443/tcp", "80/tcp"] : [],
        PortBindings = mode == "bridge"
            ? new Dictionary<string, IReadOnlyList<PortBinding>> { ["80/tcp"] = [new PortBinding("", "8080")] }
            : new Dictionary<string, IReadOnlyList<PortBinding>>(),
    };

    public static Container RunningOnBridge() => new()
    {
        Id = Id,
        Name = "c1",
        Created = Created,
        Spec = Spec("bridge"),
        NetworkMode = "bridge",
        Attachments = [new Attachment(BridgeId, "bridge", new EndpointConfig(), BridgeEndpoint)],
        State = new ContainerState { Status = "running", Pid = 4242, StartedAt = Started },
        Sandbox = Sandbox,
    };

    public static Container StoppedOnBridge() => RunningOnBridge() with
    {
        Attachments = [new Attachment(BridgeId, "bridge", new EndpointConfig(), null)],
        State = new ContainerState { Status = "exited", ExitCode = 3, StartedAt = Started, FinishedAt = Finished },
        Sandbox = null,
    };

    public static Container CreatedOnBridge() => StoppedOnBridge() with { State = new ContainerState() };

    public static EndpointConfig FooConfig => new() { Aliases = ["web"], IPv4Address = "10.9.0.5" };

    public static Container RunningOnFoo() => new()
    {
        Id = Id,
        Name = "c1",
        Created = Created,
        Spec = Spec("foo"),
        NetworkMode = FooId,
        Attachments = [new Attachment(FooId, "foo", FooConfig, FooEndpoint)],
        State = new ContainerState { Status = "running", Pid = 4242, StartedAt = Started },
        Sandbox = Sandbox,
    };

    public static Container StoppedOnFoo() => RunningOnFoo() with
    {
        Attachments = [new Attachment(FooId, "foo", FooConfig, null)],
        State = new ContainerState { Status = "exited", ExitCode = 0, StartedAt = Started, FinishedAt = Finished },
        Sandbox = null,
    };

    public static Container RunningOnHost() => new()
    {
        Id = Id,
        Name = "c1",
        Created = Created,
        Spec = Spec("host"),
        NetworkMode = "host",
        Attachments = [new Attachment(HostId, "host", new EndpointConfig(), new Endpoint { Id = EndpointId, NetworkId = HostId, ContainerId = Id, InterfaceName = "" })],
        State = new ContainerState { Status = "running", Pid = 4242, StartedAt = Started },
        Sandbox = Sandbox with { Key = "/run/netportal/netns/managed", OwnsNetwork = false },
    };

    public static Container RunningOnNone() => new()
    {
        Id = Id,
        Name = "c1",
        Created = Created,
        Spec = Spec("none"),
        NetworkMode = "none",
        Attachments = [new Attachment(NoneId, "none", new EndpointConfig(), new Endpoint { Id = EndpointId, NetworkId = NoneId, ContainerId = Id, InterfaceName = "" })],
        State = new ContainerState { Status = "running", Pid = 4242, StartedAt = Started },
        Sandbox = Sandbox,
    };
}
