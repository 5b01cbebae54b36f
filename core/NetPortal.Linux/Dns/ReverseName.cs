using System.Globalization;
using System.Net;

namespace NetPortal.Linux.Dns;

/// <summary>The address behind a PTR question's name (RFC 1035 §3.5 in-addr.arpa, RFC 3596 §2.5 ip6.arpa).</summary>
internal static class ReverseName
{
    /// <summary>Null unless the labels are a complete reverse name (4 octets, or 32 nibbles), anything else is forwarded.</summary>
    public static IPAddress? TryParse(IReadOnlyList<string> labels)
    {
        if (labels.Count == 6 && IsSuffix(labels, "in-addr"))
        {
            var bytes = new byte[4];
            for (var i = 0; i < 4; i++)
            {
                if (!byte.TryParse(labels[3 - i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i])) return null;
                // "01" is not the canonical form of an octet; such names are not ours.
                if (labels[3 - i].Length > 1 && labels[3 - i][0] == '0') return null;
            }
            return new IPAddress(bytes);
        }
        if (labels.Count == 34 && IsSuffix(labels, "ip6"))
        {
            var bytes = new byte[16];
            for (var i = 0; i < 32; i++)
            {
                var label = labels[31 - i];
                if (label.Length != 1 || !Uri.IsHexDigit(label[0])) return null;
                var nibble = Convert.ToByte(label, 16);
                bytes[i / 2] |= (byte)(i % 2 == 0 ? nibble << 4 : nibble);
            }
            return new IPAddress(bytes);
        }
        return null;
    }

    private static bool IsSuffix(IReadOnlyList<string> labels, string zone) =>
        string.Equals(labels[^1], "arpa", StringComparison.OrdinalIgnoreCase)
        && string.Equals(labels[^2], zone, StringComparison.OrdinalIgnoreCase);
}
