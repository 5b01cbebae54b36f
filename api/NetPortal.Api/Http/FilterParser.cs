using System.Text.Json;
using NetPortal.Core.Errors;
using NetPortal.Core.Filters;

namespace NetPortal.Api.Http;

/// <summary>Decodes the filters query parameter in both of Docker's encodings: {"k":{"v":true}} and legacy {"k":["v"]}.</summary>
public static class FilterParser
{
    public static FilterArgs Parse(string? json)
    {
        if (string.IsNullOrEmpty(json)) return FilterArgs.Empty;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw NetPortalException.InvalidParameter("invalid filter");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind == JsonValueKind.Null) return FilterArgs.Empty;
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw NetPortalException.InvalidParameter("invalid filter");
            var result = new Dictionary<string, IReadOnlyList<string>>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                var values = new List<string>();
                switch (prop.Value.ValueKind)
                {
                    case JsonValueKind.Object:
                        foreach (var v in prop.Value.EnumerateObject())
                        {
                            if (v.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw NetPortalException.InvalidParameter("invalid filter");
                            // Go's Args keeps a key with value false in the map, and Get() returns it; dockerd matches on keys alone.
                            values.Add(v.Name);
                        }
                        break;
                    case JsonValueKind.Array:
                        foreach (var v in prop.Value.EnumerateArray())
                        {
                            if (v.ValueKind != JsonValueKind.String) throw NetPortalException.InvalidParameter("invalid filter");
                            values.Add(v.GetString()!);
                        }
                        break;
                    case JsonValueKind.Null:
                        break;
                    default:
                        throw NetPortalException.InvalidParameter("invalid filter");
                }
                result[prop.Name] = values;
            }
            return new FilterArgs(result);
        }
    }
}
