using System.Runtime.CompilerServices;

namespace NetPortal.Linux.Tests.Firewall.Nftables;

/// <summary>
/// Golden files under testdata/nftables, read from the source tree. NETPORTAL_UPDATE_GOLDEN=1 rewrites them from
/// the current output (then review the diff).
/// </summary>
internal static class NftGolden
{
    public static string Path(string name) => System.IO.Path.Combine(Directory(), name);

    public static string Read(string name) => File.ReadAllText(Path(name)).ReplaceLineEndings("\n");

    public static void AssertMatches(string name, string actual)
    {
        if (Environment.GetEnvironmentVariable("NETPORTAL_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path(name), actual);
        }

        Assert.True(File.Exists(Path(name)), $"missing golden file {name} (run with NETPORTAL_UPDATE_GOLDEN=1)");
        Assert.Equal(Read(name), actual);
    }

    private static string Directory([CallerFilePath] string path = "") =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, "..", "..", "testdata", "nftables");
}
