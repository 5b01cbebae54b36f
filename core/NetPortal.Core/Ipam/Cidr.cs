using System.Net;
using System.Net.Sockets;

namespace NetPortal.Core.Ipam;

/// <summary>An IPv4 or IPv6 prefix held as a 128-bit integer, so /8s and /64s cost the same.</summary>
public readonly record struct Cidr(AddressFamily Family, UInt128 Network, int PrefixLength)
{
    public bool IsIPv6 => Family == AddressFamily.InterNetworkV6;
    public int Bits => IsIPv6 ? 128 : 32;

    /// <summary>Number of addresses in the prefix (2^(Bits-PrefixLength)); saturates at UInt128.MaxValue for ::/0.</summary>
    public UInt128 Size => Bits - PrefixLength >= 128 ? UInt128.MaxValue : UInt128.One << (Bits - PrefixLength);

    public UInt128 First => Network;
    public UInt128 Last => Network + (Size == UInt128.MaxValue ? UInt128.MaxValue - Network : Size - 1);

    public static UInt128 MaskOf(int bits, int prefixLength)
    {
        if (prefixLength == 0) return UInt128.Zero;
        var all = bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
        return all & ~((UInt128.One << (bits - prefixLength)) - 1);
    }

    /// <summary>Parses "a.b.c.d/n" or "x::/n"; host bits are allowed, masked off and reported in <paramref name="hostBitsSet"/>.</summary>
    public static bool TryParse(string? text, out Cidr cidr, out bool hostBitsSet)
    {
        cidr = default;
        hostBitsSet = false;
        if (string.IsNullOrEmpty(text)) return false;
        // Go's netip rules: IPAddress.TryParse would also take "10.0.0", "010.0.0.0" (octal) or "[::1]", and
        // int.Parse would take "/024".
        if (!NetipParser.TryParsePrefix(text, out var ip, out var len)) return false;
        var bits = ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        var value = ToUInt128(ip);
        var masked = value & MaskOf(bits, len);
        hostBitsSet = masked != value;
        cidr = new Cidr(ip.AddressFamily, masked, len);
        return true;
    }

    public static Cidr Parse(string text) =>
        TryParse(text, out var c, out _) ? c : throw new FormatException($"invalid CIDR {text}");

    /// <summary>Same prefix as <paramref name="text"/> but keeps the host part (for "10.0.0.1/24" style interface addresses).</summary>
    public static (IPAddress Address, Cidr Prefix) ParseInterfaceAddress(string text)
    {
        var slash = text.IndexOf('/');
        var ip = IPAddress.Parse(text.AsSpan(0, slash));
        return (ip, Parse(text));
    }

    public static Cidr Single(IPAddress ip) =>
        new(ip.AddressFamily, ToUInt128(ip), ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32);

    public bool Contains(IPAddress ip) => ip.AddressFamily == Family && Contains(ToUInt128(ip));

    public bool Contains(UInt128 value) => (value & MaskOf(Bits, PrefixLength)) == Network;

    /// <summary>True when <paramref name="other"/> lies wholly inside this prefix.</summary>
    public bool Contains(Cidr other) => other.Family == Family && other.PrefixLength >= PrefixLength && Contains(other.Network);

    public bool Overlaps(Cidr other) =>
        other.Family == Family && (Contains(other.Network) || other.Contains(Network));

    public IPAddress AddressAt(UInt128 value) => ToAddress(Family, value);

    public IPAddress NetworkAddress => ToAddress(Family, Network);

    public static UInt128 ToUInt128(IPAddress ip)
    {
        Span<byte> b = stackalloc byte[16];
        ip.TryWriteBytes(b, out var n);
        UInt128 v = 0;
        for (var i = 0; i < n; i++) v = (v << 8) | b[i];
        return v;
    }

    public static IPAddress ToAddress(AddressFamily family, UInt128 value)
    {
        var n = family == AddressFamily.InterNetworkV6 ? 16 : 4;
        Span<byte> b = stackalloc byte[n];
        for (var i = n - 1; i >= 0; i--) { b[i] = (byte)(value & 0xff); value >>= 8; }
        return new IPAddress(b);
    }

    public override string ToString() => $"{NetworkAddress}/{PrefixLength}";
}
