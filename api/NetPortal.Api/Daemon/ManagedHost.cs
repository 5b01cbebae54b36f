using NetPortal.Core.Containers;
using NetPortal.Linux.Namespaces;

namespace NetPortal.Api.Daemon;

/// <summary>
/// The host as the managed namespace sees it. Processes started in a named namespace by `ip netns exec` read
/// /etc/netns/NAME/resolv.conf when it exists; NetPortal follows the same convention.
/// </summary>
public sealed class ManagedHost(NetNamespace managed, DaemonSettings settings) : IManagedHost
{
    public string ManagedNetnsPath => managed.Path;

    public string ReadResolvConf()
    {
        if (settings.Netns is { } name && !name.Contains('/'))
        {
            var perNamespace = Path.Combine("/etc/netns", name, "resolv.conf");
            if (File.Exists(perNamespace)) return File.ReadAllText(perNamespace);
        }
        try
        {
            return File.ReadAllText("/etc/resolv.conf");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
