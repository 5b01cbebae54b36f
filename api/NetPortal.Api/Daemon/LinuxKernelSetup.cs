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
        var changes = new ManagedNamespaceSetup(ns, netlink, options, log).Apply(enableIPv6Forwarding: options.Ip6tables);
        if (firewall.Name == "iptables" && changes.Contains("net.ipv4.ip_forward=1"))
        {
            // dockerd turns the FORWARD policy to DROP when it is the one enabling forwarding, so that the
            // namespace does not become an open router for everything but Docker's own bridges.
            var r = ns.RunProcess("iptables", ["-w", "-P", "FORWARD", "DROP"], null);
            if (r.ExitCode != 0) log.LogWarning("could not set the FORWARD policy to DROP: {Error}", r.Stderr.Trim());
            else log.LogInformation("set FORWARD policy to DROP, as dockerd does when it enables forwarding");
        }
        else if (firewall is NetPortal.Linux.Firewall.Nftables.NftablesFirewall nft && changes.Contains("net.ipv4.ip_forward=1"))
        {
            // Same rule for nftables (Docker 29 too): the policy of our own forward base chain, not iptables'.
            nft.DropUnmatchedForwarding();
            log.LogInformation("set the nftables forward chain policy to drop, as dockerd does when it enables forwarding");
        }
        firewall.Initialize();
    }
}
