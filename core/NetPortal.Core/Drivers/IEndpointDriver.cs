using NetPortal.Core.Containers;
using NetPortal.Core.Networks;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Core.Drivers;

/// <summary>Optional capability of a network driver: plugging sandboxes into its networks.</summary>
public interface IEndpointDriver
{
    /// <summary>
    /// Creates the endpoint's interface inside the sandbox's network namespace, named <see cref="Endpoint.InterfaceName"/>,
    /// with its MAC, MTU, addresses and link-local addresses, up; returns it with the host-side names filled in.
    /// Undoes its own steps on failure. Does not touch the default route (the runtime does).
    /// </summary>
    Endpoint Join(Network network, Endpoint endpoint, SandboxInfo sandbox);

    /// <summary>Removes the endpoint's interfaces; continues past errors (TeardownFailedException); a missing interface is fine.</summary>
    void Leave(Network network, Endpoint endpoint, SandboxInfo sandbox);
}
