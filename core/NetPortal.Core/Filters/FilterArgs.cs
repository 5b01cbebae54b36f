namespace NetPortal.Core.Filters;

/// <summary>Docker's filters argument: key → set of values (the wire encodings are decoded by the API).</summary>
public sealed class FilterArgs(IReadOnlyDictionary<string, IReadOnlyList<string>> values)
{
    public static readonly FilterArgs Empty = new(new Dictionary<string, IReadOnlyList<string>>());

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values { get; } = values;

    public IReadOnlyList<string> Get(string key) => Values.TryGetValue(key, out var v) ? v : [];

    public bool Contains(string key) => Values.TryGetValue(key, out var v) && v.Count > 0;

    /// <summary>Rejects keys outside <paramref name="accepted"/> with Docker's message.</summary>
    public void Validate(params string[] accepted)
    {
        foreach (var key in Values.Keys)
            if (Array.IndexOf(accepted, key) < 0)
                throw Errors.NetPortalException.InvalidParameter($"invalid filter '{key}'");
    }

    /// <summary>Docker's label filter: every "key" must be present and every "key=value" must match.</summary>
    public static bool MatchesLabels(IReadOnlyList<string> wanted, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var w in wanted)
        {
            var eq = w.IndexOf('=');
            if (eq < 0)
            {
                if (!labels.ContainsKey(w)) return false;
            }
            else if (!labels.TryGetValue(w[..eq], out var v) || v != w[(eq + 1)..])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Docker's "all or part" match: equal, or the value as a regular expression matches anywhere.</summary>
    public static bool MatchesPartial(IReadOnlyList<string> wanted, string field)
    {
        foreach (var w in wanted)
        {
            if (w == field) return true;
            try
            {
                if (System.Text.RegularExpressions.Regex.IsMatch(field, w, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(50)))
                    return true;
            }
            catch (ArgumentException)
            {
                // Go's regexp.Compile failing means "no match", not an error.
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
            }
        }
        return false;
    }
}
