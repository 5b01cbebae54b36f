namespace NetPortal.Api.Http;

/// <summary>The API versions this daemon speaks and the request's version (unversioned paths get the maximum).</summary>
public static class ApiVersions
{
    public const string Max = "1.50";
    public const string Min = "1.41";
    public const string DaemonVersion = "0.1.0";

    private const string ItemKey = "netportal.api-version";

    public static Version Of(HttpContext ctx) => ctx.Items[ItemKey] as Version ?? Version.Parse(Max);

    internal static void Set(HttpContext ctx, Version v) => ctx.Items[ItemKey] = v;

    public static bool AtLeast(HttpContext ctx, string version) => Of(ctx) >= Version.Parse(version);

    /// <summary>Numeric per dot-segment, as Docker's versions.Compare ("1.9" &lt; "1.10").</summary>
    public static bool TryParse(string text, out Version version)
    {
        version = new Version(0, 0);
        var parts = text.Split('.');
        if (parts.Length is < 1 or > 4) return false;
        var numbers = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, null, out numbers[i])) return false;
        version = numbers.Length == 1 ? new Version(numbers[0], 0) : numbers.Length == 2 ? new Version(numbers[0], numbers[1]) :
            numbers.Length == 3 ? new Version(numbers[0], numbers[1], numbers[2]) : new Version(numbers[0], numbers[1], numbers[2], numbers[3]);
        return true;
    }
}
