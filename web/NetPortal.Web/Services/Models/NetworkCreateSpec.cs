namespace NetPortal.Web.Services.Models;

/// <summary>The create form's fields; labels are typed as key=value lines.</summary>
public sealed class NetworkCreateSpec
{
    public string Name { get; set; } = "";
    public string Driver { get; set; } = "bridge";
    public string Subnet { get; set; } = "";
    public string IPRange { get; set; } = "";
    public string Gateway { get; set; } = "";
    public bool EnableIPv6 { get; set; }
    public bool Internal { get; set; }
    public string Labels { get; set; } = "";

    /// <summary>Labels parsed from "key=value" lines or comma-separated pairs; a bare key gets an empty value.</summary>
    public Dictionary<string, string> ParseLabels()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in Labels.Split(['\n', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) result[raw] = "";
            else result[raw[..eq].Trim()] = raw[(eq + 1)..].Trim();
        }
        return result;
    }
}
