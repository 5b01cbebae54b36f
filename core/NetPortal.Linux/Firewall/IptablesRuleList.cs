namespace NetPortal.Linux.Firewall;

/// <summary>
/// One chain's rules in order, with a count per spec beside them: "is this rule there?" is asked for every rule of
/// every change, and a chain like FORWARD holds four rules per network, so a scan made planning grow with the
/// number of networks.
/// </summary>
internal sealed class IptablesRuleList : IReadOnlyList<string>
{
    private readonly List<string> _rules = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int Count => _rules.Count;

    public string this[int index] => _rules[index];

    public bool Contains(string spec) => _counts.ContainsKey(spec);

    public int CountOf(string spec) => _counts.GetValueOrDefault(spec);

    public void Add(string spec) => Insert(_rules.Count, spec);

    public void Insert(int index, string spec)
    {
        _rules.Insert(index, spec);
        _counts[spec] = _counts.GetValueOrDefault(spec) + 1;
    }

    /// <summary>Removes the first occurrence and returns its index, or -1.</summary>
    public int RemoveFirst(string spec)
    {
        if (!_counts.TryGetValue(spec, out var n)) return -1;
        var index = _rules.IndexOf(spec);
        _rules.RemoveAt(index);
        if (n == 1) _counts.Remove(spec);
        else _counts[spec] = n - 1;
        return index;
    }

    public IEnumerator<string> GetEnumerator() => _rules.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
