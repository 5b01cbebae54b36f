using NetPortal.Core.Errors;
using NetPortal.Core.Filters;

namespace NetPortal.Core.Containers;

public sealed partial class ContainerService
{
    private static readonly string[] ListFilterKeys =
        ["ancestor", "before", "expose", "exited", "health", "id", "isolation", "is-task", "label", "name", "network", "publish", "since", "status", "volume"];

    /// <summary>GET /containers/json: running ones unless <paramref name="all"/>; newest first.</summary>
    public IReadOnlyList<Container> List(bool all, FilterArgs filters, int limit = -1)
    {
        filters.Validate(ListFilterKeys);
        foreach (var s in filters.Get("status"))
            if (s is not ("created" or "restarting" or "running" or "removing" or "paused" or "exited" or "dead"))
                throw NetPortalException.InvalidParameter($"invalid filter 'status={s}'");
        var result = new List<Container>();
        foreach (var c in _containers.Values.OrderByDescending(c => c.Created))
        {
            if (!all && !c.State.Running && !filters.Contains("status")) continue;
            if (filters.Contains("status") && !filters.Get("status").Contains(c.State.Status)) continue;
            if (filters.Contains("id") && !filters.Get("id").Any(v => c.Id.StartsWith(v, StringComparison.Ordinal))) continue;
            // dockerd matches "/name" and "name", so `name=^web$` finds web.
            if (filters.Contains("name") && !FilterArgs.MatchesPartial(filters.Get("name"), "/" + c.Name)
                && !FilterArgs.MatchesPartial(filters.Get("name"), c.Name)) continue;
            if (filters.Contains("label") && !FilterArgs.MatchesLabels(filters.Get("label"), c.Spec.Labels)) continue;
            if (filters.Contains("exited") && !(c.State.Status == "exited" && filters.Get("exited").Contains(c.State.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)))) continue;
            if (filters.Contains("network") && !filters.Get("network").Any(v => c.Attachments.Any(a => a.NetworkName == v || (a.NetworkId.Length > 0 && a.NetworkId.StartsWith(v, StringComparison.Ordinal))))) continue;
            result.Add(c);
            if (limit > 0 && result.Count >= limit) break;
        }
        return result;
    }
}
