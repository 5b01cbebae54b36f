using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using NetPortal.Core.Dns;

namespace NetPortal.Linux.Tests.Dns;

/// <summary>Names, reverse names and upstreams set by the test; records who asked.</summary>
internal sealed class FakeDnsDirectory : IDnsDirectory
{
    public ConcurrentDictionary<string, List<IPAddress>> Names { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentDictionary<IPAddress, List<string>> Reverse { get; } = new();
    public List<string> UpstreamServers { get; set; } = [];
    public ConcurrentQueue<string> Askers { get; } = new();

    public IReadOnlyList<IPAddress> Lookup(string containerId, string name, AddressFamily family)
    {
        Askers.Enqueue(containerId);
        return Names.TryGetValue(name.TrimEnd('.'), out var all) ? all.Where(a => a.AddressFamily == family).ToList() : [];
    }

    public IReadOnlyList<string> ReverseLookup(string containerId, IPAddress address) =>
        Reverse.TryGetValue(address, out var names) ? names : [];

    public IReadOnlyList<string> Upstreams(string containerId) => UpstreamServers;
}
