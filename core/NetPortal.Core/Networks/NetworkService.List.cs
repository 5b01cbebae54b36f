using NetPortal.Core.Errors;
using NetPortal.Core.Filters;

namespace NetPortal.Core.Networks;

public sealed partial class NetworkService
{
    private static readonly string[] ListFilterKeys = ["dangling", "driver", "id", "label", "name", "scope", "type"];

    /// <summary>Docker's network list filters: keys AND together, values of a key OR together (labels AND).</summary>
    public IReadOnlyList<Network> List(FilterArgs filters)
    {
        filters.Validate(ListFilterKeys);
        bool? dangling = null;
        var d = filters.Get("dangling");
        if (d.Count > 1) throw NetPortalException.InvalidParameter("got more than one value for filter key \"dangling\"");
        if (d.Count == 1)
        {
            dangling = d[0] switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => throw NetPortalException.InvalidParameter("invalid value for filter 'dangling', must be \"true\" (or \"1\"), or \"false\" (or \"0\")"),
            };
        }
        foreach (var t in filters.Get("type"))
            if (t is not ("custom" or "builtin"))
                throw NetPortalException.InvalidParameter($"invalid filter: 'type'='{t}'");

        var result = new List<Network>();
        foreach (var n in _networks)
        {
            if (filters.Contains("driver") && !filters.Get("driver").Contains(n.Driver)) continue;
            if (filters.Contains("scope") && !filters.Get("scope").Contains(n.Scope)) continue;
            if (filters.Contains("name") && !FilterArgs.MatchesPartial(filters.Get("name"), n.Name)) continue;
            if (filters.Contains("id") && !FilterArgs.MatchesPartial(filters.Get("id"), n.Id)) continue;
            if (filters.Contains("label") && !FilterArgs.MatchesLabels(filters.Get("label"), n.Labels)) continue;
            if (filters.Contains("type"))
            {
                var type = n.IsPredefined ? "builtin" : "custom";
                if (!filters.Get("type").Contains(type)) continue;
            }
            if (dangling is { } wantDangling)
            {
                var isDangling = !n.IsPredefined && endpoints.ActiveEndpoints(n.Id).Count == 0;
                if (isDangling != wantDangling) continue;
            }
            result.Add(n);
        }
        return result;
    }
}
