using System.Globalization;

namespace NetPortal.Linux.Bridge;

/// <summary>Go's strconv.ParseBool/Atoi, so option errors read exactly like Docker's.</summary>
internal static class GoStrconv
{
    public static bool ParseBool(string label, string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw ParseError(label, value, $"strconv.ParseBool: parsing \"{value}\": invalid syntax"),
    };

    public static long Atoi(string label, string value)
    {
        var digits = value.StartsWith('+') || value.StartsWith('-') ? value[1..] : value;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
            throw ParseError(label, value, $"strconv.Atoi: parsing \"{value}\": invalid syntax");
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            throw ParseError(label, value, $"strconv.Atoi: parsing \"{value}\": value out of range");
        return n;
    }

    public static Core.Errors.NetPortalException ParseError(string label, string value, string reason) =>
        Core.Errors.NetPortalException.InvalidParameter($"failed to parse {label} value: {value} ({reason})");
}
