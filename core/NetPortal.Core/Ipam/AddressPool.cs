using System.Net;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Ipam;

/// <summary>
/// Address bookkeeping for one subnet without a bitmap: a set of allocated addresses plus a cursor for serial
/// allocation, so a /8 or an IPv6 /64 costs only what is actually allocated.
/// </summary>
internal sealed class AddressPool
{
    private readonly HashSet<UInt128> _allocated = [];
    private readonly HashSet<UInt128> _pinned = [];
    private UInt128 _cursor;
    private UInt128 _allocatedInRange;

    public AddressPool(Cidr subnet, Cidr? range)
    {
        Subnet = subnet;
        Range = range ?? subnet;
        _cursor = Range.First;
        var hostBits = subnet.Bits - subnet.PrefixLength;
        // Like moby's newPoolData: the first address is the IPv4 network address or the IPv6 subnet-router anycast
        // address; IPv4 also loses its broadcast address. RFC 3021 /31 (and /32) links keep both.
        if (subnet.IsIPv6 || hostBits > 1) NetworkReserved = true;
        if (!subnet.IsIPv6 && hostBits > 1) BroadcastReserved = true;
    }

    public Cidr Subnet { get; }

    /// <summary>Where dynamic addresses come from: the IPRange, or the whole subnet.</summary>
    public Cidr Range { get; }

    public bool NetworkReserved { get; }
    public bool BroadcastReserved { get; }

    public IpamPool Pool { get; set; } = null!;

    public bool IsReserved(UInt128 value) =>
        (NetworkReserved && value == Subnet.First) || (BroadcastReserved && value == Subnet.Last);

    public bool IsFree(UInt128 value) => Subnet.Contains(value) && !IsReserved(value) && !_allocated.Contains(value);

    public bool TryAllocate(UInt128 value)
    {
        if (!IsFree(value)) return false;
        _allocated.Add(value);
        if (Range.Contains(value)) _allocatedInRange++;
        return true;
    }

    /// <summary>Allocates like <see cref="TryAllocate"/> and protects the address from <see cref="Release"/> (gateway, aux).</summary>
    public bool TryPin(UInt128 value)
    {
        if (!TryAllocate(value)) return false;
        _pinned.Add(value);
        return true;
    }

    /// <summary>Marks an address used whatever its state; for restoring, where refusing would lose what is running.</summary>
    public void Restore(UInt128 value, bool pinned)
    {
        if (!Subnet.Contains(value)) return;
        if (pinned) _pinned.Add(value);
        if (IsReserved(value) || !_allocated.Add(value)) return;
        if (Range.Contains(value)) _allocatedInRange++;
    }

    public bool Release(UInt128 value)
    {
        if (_pinned.Contains(value) || !_allocated.Remove(value)) return false;
        if (Range.Contains(value)) _allocatedInRange--;
        return true;
    }

    /// <summary>
    /// Next free address of <see cref="Range"/> after the last one handed out, wrapping around once (moby's serial
    /// allocation). Amortised O(1): the scan only steps over addresses that are allocated.
    /// </summary>
    public bool TryAllocateNext(out UInt128 value)
    {
        value = default;
        if (DynamicAvailable == 0) return false;
        var candidate = _cursor;
        // A free address exists, so this ends after at most (allocated + reserved in range) steps.
        while (true)
        {
            if (candidate > Range.Last || candidate < Range.First) candidate = Range.First;
            if (!IsReserved(candidate) && !_allocated.Contains(candidate)) break;
            candidate = candidate == Range.Last ? Range.First : candidate + 1;
        }
        _allocated.Add(candidate);
        _allocatedInRange++;
        _cursor = candidate == Range.Last ? Range.First : candidate + 1;
        value = candidate;
        return true;
    }

    /// <summary>Lowest free address of the subnet (the default gateway), independent of the cursor.</summary>
    public bool TryPinLowest(out UInt128 value)
    {
        value = Subnet.First;
        while (true)
        {
            if (TryPin(value)) return true;
            if (value == Subnet.Last) return false;
            value++;
        }
    }

    public UInt128 InUse => (UInt128)_allocated.Count;

    public UInt128 DynamicAvailable
    {
        get
        {
            var reserved = UInt128.Zero;
            if (NetworkReserved && Range.Contains(Subnet.First)) reserved++;
            if (BroadcastReserved && Range.Contains(Subnet.Last)) reserved++;
            // Range.Size saturates only for ::/0, which is close enough to infinite here.
            return Range.Size - reserved - _allocatedInRange;
        }
    }

    public IPAddress AddressAt(UInt128 value) => Subnet.AddressAt(value);
}
