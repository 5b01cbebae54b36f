using System.Globalization;
using NetPortal.Core.Errors;

namespace NetPortal.Api.Http;

/// <summary>dockerd's lenient query readers (httputils.BoolValue, strconv.Atoi).</summary>
public static class QueryValues
{
    /// <summary>httputils.BoolValue: anything but "", "0", "no", "false" and "none" (any case, trimmed) is true.</summary>
    public static bool Bool(string? value)
    {
        var s = (value ?? "").Trim().ToLowerInvariant();
        return s is not ("" or "0" or "no" or "false" or "none");
    }

    /// <summary>An optional integer; 400 with Go's strconv.Atoi text when malformed.</summary>
    public static int? Int(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
        throw NetPortalException.InvalidParameter($"strconv.Atoi: parsing \"{value}\": invalid syntax");
    }
}
