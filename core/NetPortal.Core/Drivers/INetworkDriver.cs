using NetPortal.Core.Networks;

namespace NetPortal.Core.Drivers;

/// <summary>A network driver in netavark's shape: validate first, set up with undo, tear down past errors.</summary>
public interface INetworkDriver
{
    /// <summary>Docker's driver name: bridge, host, null, macvlan, ...</summary>
    string Name { get; }

    /// <summary>False for drivers that own no pools (host, null): IPAM is skipped for them.</summary>
    bool NeedsIpam { get; }

    /// <summary>Checks options and conflicts with <paramref name="existing"/> before anything is touched; throws NetPortalException with Docker's message.</summary>
    void Validate(Network network, IReadOnlyCollection<Network> existing);

    /// <summary>
    /// Names that no two networks of this driver may share (the bridge's device name), or null when
    /// <see cref="Validate"/> needs every network. With keys, Validate is handed only the networks of this driver
    /// that share one of them, found in an index: a create then costs the same with 5 or 500 networks.
    /// </summary>
    IReadOnlyList<string>? ConflictKeys(Network network) => null;

    /// <summary>Creates the kernel objects (and firewall rules); on failure undoes its own steps in reverse, then rethrows.</summary>
    void Setup(Network network);

    /// <summary>Removes what Setup made; continues past errors and throws TeardownFailedException listing all of them.</summary>
    void Teardown(Network network);

    /// <summary>Start-up reconcile: recreates what is missing for a stored network; returns a line per repair.</summary>
    IReadOnlyList<string> Restore(Network network);

    /// <summary>Start-up reconcile: removes kernel objects (and firewall rules) of this driver that none of <paramref name="known"/> owns, and restores the rules of those it does; returns a line per change.</summary>
    IReadOnlyList<string> RemoveOrphans(IReadOnlyCollection<Network> known);
}
