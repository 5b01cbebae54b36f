using System.Collections.Immutable;
using System.Net.Sockets;

namespace NetPortal.Core.Ipam;

/// <summary>
/// An immutable multiset of prefixes that answers "does anything overlap this subnet?" without a scan: a prefix
/// that contains the subnet is one hash lookup per prefix length present, a prefix inside it is the first entry
/// at or after the subnet's address in (family, address, length) order. Changes return a new index in O(log n),
/// so a snapshot can be handed out while the owner keeps updating.
/// </summary>
public sealed class PrefixIndex
{
    private const int V4Lengths = 33, V6Lengths = 129;

    public static PrefixIndex Empty { get; } = new(
        ImmutableDictionary<Cidr, int>.Empty,
        ImmutableSortedSet.Create<Cidr>(Order.Instance),
        new int[V4Lengths + V6Lengths]);

    private readonly ImmutableDictionary<Cidr, int> _counts;
    private readonly ImmutableSortedSet<Cidr> _sorted;
    /// <summary>Distinct prefixes per length: IPv4 /0–/32 first, then IPv6 /0–/128. Never mutated once shared.</summary>
    private readonly int[] _lengths;

    private PrefixIndex(ImmutableDictionary<Cidr, int> counts, ImmutableSortedSet<Cidr> sorted, int[] lengths)
    {
        _counts = counts;
        _sorted = sorted;
        _lengths = lengths;
    }

    /// <summary>Distinct prefixes held.</summary>
    public int Count => _sorted.Count;

    /// <summary>The distinct prefixes in (family, address, length) order.</summary>
    public IEnumerable<Cidr> Prefixes => _sorted;

    public static PrefixIndex Of(IEnumerable<Cidr> prefixes)
    {
        var index = Empty;
        foreach (var p in prefixes) index = index.Add(p);
        return index;
    }

    public bool Contains(Cidr prefix) => _counts.ContainsKey(prefix);

    /// <summary>Adds one occurrence of <paramref name="prefix"/> (the same prefix may be held several times).</summary>
    public PrefixIndex Add(Cidr prefix)
    {
        if (_counts.TryGetValue(prefix, out var n)) return new PrefixIndex(_counts.SetItem(prefix, n + 1), _sorted, _lengths);
        var lengths = (int[])_lengths.Clone();
        lengths[Slot(prefix)]++;
        return new PrefixIndex(_counts.Add(prefix, 1), _sorted.Add(prefix), lengths);
    }

    /// <summary>Removes one occurrence; a prefix not held is ignored.</summary>
    public PrefixIndex Remove(Cidr prefix)
    {
        if (!_counts.TryGetValue(prefix, out var n)) return this;
        if (n > 1) return new PrefixIndex(_counts.SetItem(prefix, n - 1), _sorted, _lengths);
        var lengths = (int[])_lengths.Clone();
        lengths[Slot(prefix)]--;
        return new PrefixIndex(_counts.Remove(prefix), _sorted.Remove(prefix), lengths);
    }

    /// <summary>
    /// A held prefix that overlaps <paramref name="subnet"/>, or null. When several do, the widest one containing
    /// the subnet wins, else the lowest one inside it, so the answer does not depend on the order of changes.
    /// </summary>
    public Cidr? FindOverlap(Cidr subnet)
    {
        if (_sorted.Count == 0) return null;
        var offset = subnet.IsIPv6 ? V4Lengths : 0;
        for (var len = 0; len <= subnet.PrefixLength; len++)
        {
            if (_lengths[offset + len] == 0) continue;
            var candidate = new Cidr(subnet.Family, subnet.Network & Cidr.MaskOf(subnet.Bits, len), len);
            if (_counts.ContainsKey(candidate)) return candidate;
        }
        // Nothing contains the subnet, so an overlapping prefix lies inside it: its address is in [First, Last].
        var i = _sorted.IndexOf(new Cidr(subnet.Family, subnet.First, 0));
        if (i < 0) i = ~i;
        if (i >= _sorted.Count) return null;
        var next = _sorted[i];
        return next.Family == subnet.Family && next.Network <= subnet.Last ? next : null;
    }

    private static int Slot(Cidr prefix) => (prefix.IsIPv6 ? V4Lengths : 0) + prefix.PrefixLength;

    /// <summary>Family, then address, then prefix length.</summary>
    private sealed class Order : IComparer<Cidr>
    {
        public static readonly Order Instance = new();

        public int Compare(Cidr x, Cidr y)
        {
            var c = (x.Family == AddressFamily.InterNetworkV6).CompareTo(y.Family == AddressFamily.InterNetworkV6);
            if (c != 0) return c;
            c = x.Network.CompareTo(y.Network);
            return c != 0 ? c : x.PrefixLength.CompareTo(y.PrefixLength);
        }
    }
}
