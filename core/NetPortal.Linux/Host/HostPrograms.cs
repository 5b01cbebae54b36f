namespace NetPortal.Linux.Host;

/// <summary>Finds host programs the way the daemon starts them: by name, through PATH (as execvp does).</summary>
public static class HostPrograms
{
    public static readonly HostProgram Nsenter = new("nsenter", "util-linux");
    public static readonly HostProgram Unshare = new("unshare", "util-linux");
    public static readonly HostProgram Setsid = new("setsid", "util-linux");
    public static readonly HostProgram Iptables = new("iptables", "iptables");
    public static readonly HostProgram IptablesSave = new("iptables-save", "iptables");
    public static readonly HostProgram IptablesRestore = new("iptables-restore", "iptables");
    public static readonly HostProgram Ip6tablesSave = new("ip6tables-save", "iptables");
    public static readonly HostProgram Ip6tablesRestore = new("ip6tables-restore", "iptables");
    public static readonly HostProgram Nft = new("nft", "nftables");

    /// <summary>The full path of an executable named name in the search path, or null.</summary>
    public static string? Find(string name, string? searchPath = null)
    {
        searchPath ??= Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                return candidate;
        }
        return null;
    }

    /// <summary>The programs of the list that are not found, in order, each once.</summary>
    public static IReadOnlyList<HostProgram> Missing(IEnumerable<HostProgram> required, string? searchPath = null) =>
        required.DistinctBy(p => p.Name).Where(p => Find(p.Name, searchPath) is null).ToList();

    /// <summary>One line naming what is missing and the Debian packages that provide it.</summary>
    public static string Explain(IReadOnlyList<HostProgram> missing)
    {
        var packages = string.Join(' ', missing.Select(p => p.DebianPackage).Distinct());
        var what = string.Join(", ", missing.Select(p => p.ToString()));
        return $"netportald needs {what}, not found in PATH; install them (Debian: apt-get install {packages}) or run scripts/prerequisites.sh daemon";
    }
}
