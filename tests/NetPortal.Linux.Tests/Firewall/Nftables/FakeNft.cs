using NetPortal.Linux.Firewall;

namespace NetPortal.Linux.Tests.Firewall.Nftables;

/// <summary>
/// Stands in for nft in golden tests: records every <c>nft -f -</c> script and answers <c>nft -j list table</c>
/// with the JSON given per family (or nft's error for a missing table).
/// </summary>
internal sealed class FakeNft
{
    public Dictionary<string, string> Tables { get; } = new(StringComparer.Ordinal);

    public List<string> Scripts { get; } = [];

    public int Lists { get; private set; }

    public ProcessResult Run(string file, IReadOnlyList<string> args, string? stdin)
    {
        Assert.Equal("nft", file);
        if (args is ["-f", "-"])
        {
            Scripts.Add(stdin!);
            return new ProcessResult(0, "", "");
        }

        if (args is ["-j", "list", "table", var family, "netportal"])
        {
            Lists++;
            return Tables.TryGetValue(family, out var json)
                ? new ProcessResult(0, json, "")
                : new ProcessResult(1, "", $"Error: No such file or directory\nlist table {family} netportal\n");
        }

        throw new InvalidOperationException($"unexpected nft {string.Join(' ', args)}");
    }
}
