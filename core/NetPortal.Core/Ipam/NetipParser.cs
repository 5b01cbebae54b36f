using System.Net;
using System.Net.Sockets;

namespace NetPortal.Core.Ipam;

/// <summary>
/// Parses addresses and prefixes with Go's net/netip rules, which are stricter than <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>:
/// IPv4 is exactly four decimal fields without leading zeros (no octal, hex or shortened forms), IPv6 has no brackets,
/// and a prefix length has no sign or leading zero.
/// </summary>
internal static class NetipParser
{
    /// <summary>netip.ParseAddr; an IPv6 zone ("fe80::1%eth0") is accepted and reported, as Go keeps it on the address.</summary>
    public static bool TryParseAddress(ReadOnlySpan<char> text, out IPAddress address, out bool hasZone)
    {
        address = IPAddress.None;
        hasZone = false;
        if (text.IsEmpty) return false;
        if (text.IndexOf(':') < 0)
        {
            if (!TryParseIPv4(text, out var v4)) return false;
            address = new IPAddress(v4);
            return true;
        }

        var percent = text.IndexOf('%');
        if (percent >= 0)
        {
            if (percent == text.Length - 1) return false;
            hasZone = true;
            text = text[..percent];
        }
        if (!IsValidIPv6Syntax(text)) return false;
        if (!IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
        address = v6;
        return true;
    }

    /// <summary>netip.ParsePrefix: the address keeps its host bits (the caller decides whether they are an error); zones are rejected.</summary>
    public static bool TryParsePrefix(ReadOnlySpan<char> text, out IPAddress address, out int prefixLength)
    {
        address = IPAddress.None;
        prefixLength = 0;
        var slash = text.LastIndexOf('/');
        if (slash < 0) return false;
        if (!TryParseAddress(text[..slash], out address, out var zoned) || zoned) return false;
        var bitsText = text[(slash + 1)..];
        if (bitsText.IsEmpty || bitsText.Length > 3) return false;
        if (bitsText.Length > 1 && bitsText[0] == '0') return false;
        foreach (var c in bitsText)
        {
            if (c is < '0' or > '9') return false;
            prefixLength = prefixLength * 10 + (c - '0');
        }
        return prefixLength <= (address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32);
    }

    private static bool TryParseIPv4(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = new byte[4];
        var field = 0;
        var digits = 0;
        var value = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (digits == 0 || field == 3) return false;
                bytes[field++] = (byte)value;
                digits = 0;
                value = 0;
                continue;
            }
            if (c is < '0' or > '9') return false;
            if (digits == 1 && value == 0) return false; // leading zero: Go refuses rather than guess octal
            value = value * 10 + (c - '0');
            if (++digits > 3 || value > 255) return false;
        }
        if (digits == 0 || field != 3) return false;
        bytes[3] = (byte)value;
        return true;
    }

    // IPAddress.TryParse also accepts brackets, a trailing port and lenient embedded IPv4; only allow hex groups of
    // at most four digits and, after the last colon, an embedded IPv4 written the strict way.
    private static bool IsValidIPv6Syntax(ReadOnlySpan<char> text)
    {
        var lastColon = text.LastIndexOf(':');
        var tail = text[(lastColon + 1)..];
        if (tail.IndexOf('.') >= 0)
        {
            if (!TryParseIPv4(tail, out _)) return false;
            text = text[..(lastColon + 1)];
        }
        var run = 0;
        foreach (var c in text)
        {
            if (c == ':') { run = 0; continue; }
            if (!char.IsAsciiHexDigit(c) || ++run > 4) return false;
        }
        return true;
    }
}
