using NetPortal.Core.Containers;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Ports;

/// <summary>Records nothing and opens nothing (tests, or before publishing is wired).</summary>
public sealed class NoPortPublisher : IPortPublisher
{
    public void Publish(Network network, Endpoint endpoint, IReadOnlyList<PortMapping> mappings) { }
    public void Unpublish(Network network, Endpoint endpoint, IReadOnlyList<PortMapping> mappings) { }
}
