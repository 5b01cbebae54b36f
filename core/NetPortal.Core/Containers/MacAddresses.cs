using System.Globalization;
using System.Net;

namespace NetPortal.Core.Containers;

/// <summary>MAC addresses as Docker makes and parses them.</summary>
public static class MacAddresses
{
    /// <summary>Docker 20.10's default: 02:42 followed by the four bytes of the IPv4 address.</summary>
    public static string FromIPv4(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return $"02:42:{b[0]:x2}:{b[1]:x2}:{b[2]:x2}:{b[3]:x2}";
    }

    /// <summary>A random locally administered unicast address, for endpoints without IPv4.</summary>
    public static string Random()
    {
        var b = new byte[6];
        System.Random.Shared.NextBytes(b);
        b[0] = (byte)((b[0] & 0xfe) | 0x02);
        return string.Join(':', b.Select(x => x.ToString("x2", CultureInfo.InvariantCulture)));
    }

    public static bool TryParse(string text, out byte[] bytes)
    {
        bytes = [];
        var parts = text.Split(':');
        if (parts.Length != 6) return false;
        var result = new byte[6];
        for (var i = 0; i < 6; i++)
            if (parts[i].Length != 2 || !byte.TryParse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out result[i])) return false;
        bytes = result;
        return true;
    }
}
