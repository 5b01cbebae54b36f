namespace NetPortal.Core.Filters;

/// <summary>Go's strconv.ParseBool, which Docker uses for every boolean option and query parameter.</summary>
public static class GoBool
{
    public static bool TryParse(string? s, out bool value)
    {
        switch (s)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True": value = true; return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False": value = false; return true;
            default: value = false; return false;
        }
    }

    /// <summary>The error text Go prints for a value ParseBool refuses.</summary>
    public static string SyntaxError(string s) => $"strconv.ParseBool: parsing \"{s}\": invalid syntax";
}
