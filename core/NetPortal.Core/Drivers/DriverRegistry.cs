using NetPortal.Core.Errors;

namespace NetPortal.Core.Drivers;

/// <summary>The drivers this daemon has, by Docker name.</summary>
public sealed class DriverRegistry(IEnumerable<INetworkDriver> drivers)
{
    private readonly Dictionary<string, INetworkDriver> _drivers = drivers.ToDictionary(d => d.Name);

    public IReadOnlyCollection<INetworkDriver> All => _drivers.Values;

    public bool TryGet(string name, out INetworkDriver driver) => _drivers.TryGetValue(name, out driver!);

    /// <summary>Docker's answers for a driver it lacks: overlay needs swarm, anything else is a missing plugin.</summary>
    public INetworkDriver Get(string name)
    {
        if (_drivers.TryGetValue(name, out var d)) return d;
        if (name == "overlay")
            throw NetPortalException.Forbidden("This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.");
        throw NetPortalException.NotFound($"plugin \"{name}\" not found");
    }
}
