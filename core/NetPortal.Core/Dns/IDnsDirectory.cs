using System.Net;
using System.Net.Sockets;

namespace NetPortal.Core.Dns;

/// <summary>What the embedded resolver answers from: names as seen from one container (Docker scopes names by network).</summary>
public interface IDnsDirectory
{
    /// <summary>
    /// Addresses of containers sharing a user-defined network with <paramref name="containerId"/> whose container name,
    /// network alias, short id (12 hex) or hostname is <paramref name="name"/> (case-insensitive, trailing dot ignored),
    /// taken from the shared networks only. Empty when nothing matches.
    /// </summary>
    IReadOnlyList<IPAddress> Lookup(string containerId, string name, AddressFamily family);

    /// <summary>PTR names ("c2.net1" and "c2") for an address on a network the container is attached to.</summary>
    IReadOnlyList<string> ReverseLookup(string containerId, IPAddress address);

    /// <summary>Servers to forward other questions to (the container's --dns, else the managed namespace's), at most 3.</summary>
    IReadOnlyList<string> Upstreams(string containerId);
}
