using System.Collections.Concurrent;
using NetPortal.Core.Containers;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Api.Tests.Infrastructure;

/// <summary>
/// Stands in for the Linux bridge driver: records setups, teardowns, endpoint joins and leaves, can be told to fail Setup,
/// and validates what the real one refuses before touching anything (bridge name clash, several IPv4 subnets).
/// </summary>
public sealed class FakeBridgeDriver : INetworkDriver, IEndpointDriver
{
    public const string BridgeNameOption = "com.docker.network.bridge.name";
    public const string SetupFailureMessage = "fake bridge setup failed";

    private readonly ConcurrentQueue<string> _setups = new();
    private readonly ConcurrentQueue<string> _teardowns = new();

    public string Name => "bridge";
    public bool NeedsIpam => true;

    /// <summary>When set, the next Setup calls throw (an unclassified error, i.e. a 500).</summary>
    public volatile bool FailSetup;

    /// <summary>Names of networks set up, in order.</summary>
    public IReadOnlyList<string> Setups => _setups.ToArray();

    /// <summary>Names of networks torn down, in order.</summary>
    public IReadOnlyList<string> Teardowns => _teardowns.ToArray();

    public void Validate(Network network, IReadOnlyCollection<Network> existing)
    {
        if (network.Pools.Count(p => !p.IsIPv6) > 1 || network.Pools.Count(p => p.IsIPv6) > 1)
            throw NetPortalException.Forbidden("bridge driver doesn't support multiple subnets");
        var bridge = BridgeName(network);
        var clash = existing.FirstOrDefault(n => n.Driver == Name && BridgeName(n) == bridge);
        if (clash is not null)
            throw NetPortalException.Forbidden($"cannot create network {network.Id} ({bridge}): conflicts with network {clash.Id} ({bridge}): networks have same bridge name");
    }

    /// <summary>As the real driver: the bridge name is the conflict key, so Validate sees only networks sharing it.</summary>
    public IReadOnlyList<string>? ConflictKeys(Network network) => [BridgeName(network)];

    public void Setup(Network network)
    {
        if (FailSetup) throw new InvalidOperationException(SetupFailureMessage);
        _setups.Enqueue(network.Name);
    }

    public void Teardown(Network network) => _teardowns.Enqueue(network.Name);

    public IReadOnlyList<string> Restore(Network network) => [];

    public IReadOnlyList<string> RemoveOrphans(IReadOnlyCollection<Network> known) => [];

    /// <summary>Endpoints joined (interface name in the sandbox, network name), in order.</summary>
    public IReadOnlyList<string> Joins => _joins.ToArray();

    /// <summary>Endpoints left, in order.</summary>
    public IReadOnlyList<string> Leaves => _leaves.ToArray();

    private readonly ConcurrentQueue<string> _joins = new();
    private readonly ConcurrentQueue<string> _leaves = new();

    public Endpoint Join(Network network, Endpoint endpoint, SandboxInfo sandbox)
    {
        _joins.Enqueue($"{endpoint.InterfaceName}@{network.Name}");
        return endpoint with { HostInterfaceName = "veth" + endpoint.Id[..7] };
    }

    public void Leave(Network network, Endpoint endpoint, SandboxInfo sandbox) => _leaves.Enqueue($"{endpoint.InterfaceName}@{network.Name}");

    private static string BridgeName(Network n) => n.Option(BridgeNameOption) ?? "br-" + n.Id[..12];
}
