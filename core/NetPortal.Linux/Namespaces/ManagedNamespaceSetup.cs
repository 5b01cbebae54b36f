using Microsoft.Extensions.Logging;
using NetPortal.Core.Daemon;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Namespaces;

/// <summary>Daemon start-up inside the managed namespace: loopback up, and forwarding as Docker's --ip-forward does.</summary>
public sealed class ManagedNamespaceSetup(NetNamespace ns, IRouteNetlink netlink, DaemonOptions options, ILogger logger)
{
    /// <summary>Applies the settings; returns a line per change (nothing when all was already in place).</summary>
    public IReadOnlyList<string> Apply(bool enableIPv6Forwarding = false)
    {
        var lines = new List<string>();
        // A new namespace starts with lo down; 127.0.0.1 and ::1 only work once it is up.
        if (netlink.GetLink("lo") is { Up: false })
        {
            netlink.SetUp("lo");
            lines.Add("set lo up");
        }
        if (options.IpForward) Ensure("net.ipv4.ip_forward", "1", lines);
        if (options.IpForward && enableIPv6Forwarding) Ensure("net.ipv6.conf.all.forwarding", "1", lines);
        foreach (var line in lines) logger.LogInformation("managed namespace {Path}: {Change}", ns.Path, line);
        return lines;
    }

    private void Ensure(string key, string value, List<string> lines)
    {
        if (ns.ReadSysctl(key) == value) return;
        ns.WriteSysctl(key, value);
        lines.Add($"{key}={value}");
    }
}
