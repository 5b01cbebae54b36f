using System.Globalization;
using System.Text.RegularExpressions;

namespace NetPortal.Core.Filters;

/// <summary>Docker's timetypes.GetTimestamp: Unix seconds (with fraction), RFC 3339 / date strings, or a Go duration back from now.</summary>
public static partial class GoTime
{
    [GeneratedRegex(@"^([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex DurationPart();

    public static bool TryParseDuration(string s, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(s)) return false;
        var sign = 1.0;
        var rest = s;
        if (rest[0] is '-' or '+') { if (rest[0] == '-') sign = -1; rest = rest[1..]; }
        if (rest == "0") return true;
        if (rest.Length == 0) return false;
        double ticks = 0;
        while (rest.Length > 0)
        {
            var m = DurationPart().Match(rest);
            if (!m.Success) return false;
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += m.Groups[3].Value switch
            {
                "ns" => n / 100,
                "us" or "µs" => n * 10,
                "ms" => n * TimeSpan.TicksPerMillisecond,
                "s" => n * TimeSpan.TicksPerSecond,
                "m" => n * TimeSpan.TicksPerMinute,
                _ => n * TimeSpan.TicksPerHour,
            };
            rest = rest[m.Length..];
        }
        duration = TimeSpan.FromTicks((long)(sign * ticks));
        return true;
    }

    private static readonly string[] Layouts =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-ddK", "yyyy-MM-dd",
    ];

    /// <summary>Parses a since/until value against <paramref name="now"/>; false when no form fits.</summary>
    public static bool TryParseTimestamp(string value, DateTimeOffset now, out DateTimeOffset result)
    {
        result = default;
        if (value != "0" && TryParseDuration(value, out var d))
        {
            result = now - d;
            return true;
        }
        if (!value.Contains('-'))
        {
            var parts = value.Split('.');
            if (parts.Length > 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var secs)) return false;
            long nanos = 0;
            if (parts.Length == 2)
            {
                if (parts[1].Length is 0 or > 9 || !long.TryParse(parts[1].PadRight(9, '0'), NumberStyles.None, CultureInfo.InvariantCulture, out nanos)) return false;
            }
            result = DateTimeOffset.FromUnixTimeSeconds(secs).AddTicks(nanos / 100);
            return true;
        }
        var v = value.EndsWith('Z') ? value[..^1] + "+00:00" : value;
        if (DateTimeOffset.TryParseExact(v, Layouts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out result))
            return true;
        return false;
    }
}
