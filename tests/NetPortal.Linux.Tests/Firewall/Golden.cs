using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace NetPortal.Linux.Tests.Firewall;

/// <summary>Golden files under testdata/iptables, read from the source tree (no copy step in the project file).</summary>
internal static partial class Golden
{
    public static string Read(string name) => Normalize(File.ReadAllText(Path.Combine(Directory(), name)));

    /// <summary>The golden files whose names match <paramref name="pattern"/>, in name order.</summary>
    public static IEnumerable<string> Files(string pattern) =>
        System.IO.Directory.GetFiles(Directory(), pattern).Order(StringComparer.Ordinal);

    /// <summary>Drops comments and zeroes counters, as the captures were stored.</summary>
    public static string Normalize(string save) =>
        string.Join('\n', save.Split('\n').Select(l => Counters().Replace(l.TrimEnd('\r'), "[0:0]"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))) + "\n";

    /// <summary>
    /// Built-in chain policies are not the firewall's business (dockerd sets FORWARD to DROP when it turns
    /// on ip_forward), so kernel comparisons blank them out on both sides.
    /// </summary>
    public static string WithoutBuiltinPolicies(string save) => BuiltinPolicy().Replace(save, ":$1 * [0:0]");

    private static string Directory([CallerFilePath] string path = "") =>
        Path.Combine(Path.GetDirectoryName(path)!, "..", "testdata", "iptables");

    [GeneratedRegex(@"\[\d+:\d+\]")]
    private static partial Regex Counters();

    [GeneratedRegex(@"^:(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) \S+ \[0:0\]$", RegexOptions.Multiline)]
    private static partial Regex BuiltinPolicy();
}
