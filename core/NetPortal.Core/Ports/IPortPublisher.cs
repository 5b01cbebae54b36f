using NetPortal.Core.Containers;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Ports;

/// <summary>Makes published ports reachable: DNAT/ACCEPT/MASQUERADE rules and the userland proxy.</summary>
public interface IPortPublisher
{
    /// <summary>All or nothing: on failure nothing of these mappings stays (rules, listeners).</summary>
    void Publish(Network network, Endpoint endpoint, IReadOnlyList<PortMapping> mappings);

    /// <summary>Continues past errors and reports them all.</summary>
    void Unpublish(Network network, Endpoint endpoint, IReadOnlyList<PortMapping> mappings);
}
