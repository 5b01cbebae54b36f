using NetPortal.Core.Daemon;
using NetPortal.Core.Drivers;
using NetPortal.Linux.Namespaces;
using NetPortal.Linux.Netlink;

namespace NetPortal.Api.Daemon;

/// <summary>Brings up lo, sets forwarding and creates the firewall's base chains inside the managed namespace.</summary>
public sealed class LinuxKernelSetup(NetNamespace ns, IRouteNetlink netlink, IFirewall firewall, DaemonOptions options, ILogger<LinuxKernelSetup> log) : IKernelSetup
{
    public void Initialize()
    {
        log.LogInformation("managing network namespace {Path}{Created}", ns.Path, ns.Owned ? " (created)" : "");
        new ManagedNamespaceSetup(ns, netlink, options, log).Apply();
        firewall.Initialize();
    }
}
