using System.Net.Sockets;
using NetPortal.Core.Daemon;

namespace NetPortal.Core.Ipam;

/// <summary>
/// The default-address-pools of one address family, split lazily: picking a subnet walks the bases and jumps over
/// whatever overlaps, so 10.0.0.0/8 split into /24s is never enumerated.
/// </summary>
internal sealed class PredefinedPools
{
    /// <summary>Docker's local-scope defaults (moby libnetwork/ipamutils), IPv6 ULA included as in v28.</summary>
    public static IReadOnlyList<AddressPoolOption> DockerLocalDefaults { get; } =
    [
        new("172.17.0.0/16", 16),
        new("172.18.0.0/16", 16),
        new("172.19.0.0/16", 16),
        new("172.20.0.0/14", 16),
        new("172.24.0.0/14", 16),
        new("172.28.0.0/14", 16),
        new("192.168.0.0/16", 20),
        new("fd00::/48", 64),
    ];

    private readonly List<(Cidr Base, int Size)> _bases;

    private PredefinedPools(List<(Cidr Base, int Size)> bases) => _bases = bases;

    public static (PredefinedPools IPv4, PredefinedPools IPv6) Create(IReadOnlyList<AddressPoolOption> options)
    {
        var parsed = new List<(Cidr Base, int Size)>();
        for (var i = 0; i < options.Count; i++)
        {
            var option = options[i];
            if (!Cidr.TryParse(option.Base, out var baseCidr, out _))
                throw new ArgumentException($"default address pool at index {i} ({option.Base}) is not a valid CIDR", nameof(options));
            if (option.Size < baseCidr.PrefixLength || option.Size > baseCidr.Bits)
                throw new ArgumentException(
                    $"default address pool at index {i} ({option.Base}) has a smaller prefix (/{baseCidr.PrefixLength}) than the target size of that pool (/{option.Size}) or a size beyond /{baseCidr.Bits}",
                    nameof(options));
            parsed.Add((baseCidr, option.Size));
        }
        return (Build(parsed, AddressFamily.InterNetwork), Build(parsed, AddressFamily.InterNetworkV6));
    }

    // moby sorts the bases by address and drops a base that lies inside an earlier, larger one; allocation then
    // takes the lowest free subnet in address order, not in the order the options were written.
    private static PredefinedPools Build(List<(Cidr Base, int Size)> all, AddressFamily family)
    {
        var sorted = all.Where(p => p.Base.Family == family)
            .OrderBy(p => p.Base.Network).ThenBy(p => p.Base.PrefixLength)
            .ToList();
        var kept = new List<(Cidr Base, int Size)>();
        foreach (var p in sorted)
        {
            if (kept.Count > 0 && kept[^1].Base.Overlaps(p.Base)) continue;
            kept.Add(p);
        }
        return new PredefinedPools(kept);
    }

    public bool IsEmpty => _bases.Count == 0;

    /// <summary>
    /// Lowest subnet of the bases for which <paramref name="blocker"/> finds nothing overlapping; null when all are
    /// used. Which overlapping prefix the function returns does not change the answer, only how far a step jumps.
    /// </summary>
    public Cidr? Pick(Func<Cidr, Cidr?> blocker)
    {
        foreach (var (baseCidr, size) in _bases)
        {
            var step = new Cidr(baseCidr.Family, 0, size).Size;
            var candidate = baseCidr.First;
            while (true)
            {
                var subnet = new Cidr(baseCidr.Family, candidate, size);
                if (blocker(subnet) is not { } taken) return subnet;
                // Jump past both the candidate and the blocker, rounded up to the next subnet boundary.
                var end = UInt128.Max(subnet.Last, taken.Last);
                if (end >= baseCidr.Last) break;
                var next = end + 1;
                var remainder = (next - baseCidr.First) % step;
                if (remainder != 0)
                {
                    if (baseCidr.Last - next < step - remainder) break;
                    next += step - remainder;
                }
                candidate = next;
            }
        }
        return null;
    }
}
