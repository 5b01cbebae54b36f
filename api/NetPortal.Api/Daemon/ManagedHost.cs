using NetPortal.Core.Containers;
using NetPortal.Linux.Namespaces;

namespace NetPortal.Api.Daemon;

/// <summary>
/// The host as the managed namespace sees it. Processes started in a named namespace by `ip netns exec` read
/// /etc/netns/NAME/resolv.conf when it exists; NetPortal follows the same convention.
/// </summary>
public sealed class ManagedHost(NetNamespace managed, DaemonSettings settings) : IManagedHost
{
    // The embedded DNS asks for the upstreams on every forwarded query: the text is kept until the file changes.
    private volatile Snapshot? _resolvConf;

    public string ManagedNetnsPath => managed.Path;

    public string ReadResolvConf()
    {
        if (settings.Netns is { } name && !name.Contains('/'))
        {
            var perNamespace = Path.Combine("/etc/netns", name, "resolv.conf");
            if (File.Exists(perNamespace)) return Read(perNamespace);
        }
        try
        {
            return Read("/etc/resolv.conf");
        }
        catch (IOException)
        {
            return "";
        }
    }

    private string Read(string path)
    {
        var info = new FileInfo(path);
        var cached = _resolvConf;
        if (cached is not null && cached.Path == path && info.Exists && cached.Written == info.LastWriteTimeUtc && cached.Length == info.Length)
        {
            return cached.Text;
        }

        var text = File.ReadAllText(path);
        _resolvConf = new Snapshot(path, info.LastWriteTimeUtc, info.Length, text);
        return text;
    }

    private sealed record Snapshot(string Path, DateTime Written, long Length, string Text);
}
