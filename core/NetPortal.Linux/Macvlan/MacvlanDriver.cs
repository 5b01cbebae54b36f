using Microsoft.Extensions.Logging;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Macvlan;

/// <summary>
/// Docker's "macvlan" driver: containers get their own MAC on a parent link of the managed namespace (an existing
/// link, or an 802.1Q subinterface created with the network). No firewall rules, as Docker adds none. Beyond Docker,
/// <c>-o netportal.macvlan.host_shim=true</c> puts a macvlan of the parent with a host address in the managed
/// namespace, because the kernel never delivers a macvlan's frames to its own parent: without the shim the managed
/// namespace cannot reach the network's containers at all.
/// </summary>
/// <param name="netlink">rtnetlink in the managed namespace, where parents and the shim live.</param>
/// <param name="ipam">Reserves the shim's host address in the network's pools.</param>
public sealed partial class MacvlanDriver(IRouteNetlink netlink, IIpam ipam, ILogger logger) : INetworkDriver, IEndpointDriver
{
    public string Name => "macvlan";
    public bool NeedsIpam => true;

    public void Validate(Network network, IReadOnlyCollection<Network> existing)
    {
        var o = MacvlanOptions.Parse(network);
        ParentLink.Validate(Name, "dm-", o.Parent, network, existing, MacvlanOptions.EffectiveParent);
    }

    public void Setup(Network network)
    {
        var o = MacvlanOptions.Parse(network);
        var parent = MacvlanOptions.EffectiveParent(network);
        ParentLink.CheckLower(netlink, o.Parent);
        var created = ParentLink.Ensure(netlink, Name, o.Parent, parent);
        try
        {
            if (o.HostShim) CreateShim(network, parent);
        }
        catch
        {
            if (created) ParentLink.Release(netlink, parent);
            throw;
        }
        logger.LogInformation("macvlan network {Id} on {Parent} mode {Mode}{Created}{Shim}", network.Id[..12], parent, o.Mode,
            created ? " (parent created)" : "", o.HostShim ? $" with host shim {ShimName(network)}" : "");
    }

    public void Teardown(Network network)
    {
        var errors = new List<Exception>();
        Try(errors, () => DeleteShim(network));
        // Endpoints are gone by now (the network has none), so deleting a created parent takes nothing else with it.
        Try(errors, () => ParentLink.Release(netlink, MacvlanOptions.EffectiveParent(network)));
        if (errors.Count > 0) throw new TeardownFailedException(errors);
    }

    public IReadOnlyList<string> Restore(Network network)
    {
        var lines = new List<string>();
        try
        {
            var o = MacvlanOptions.Parse(network);
            var parent = MacvlanOptions.EffectiveParent(network);
            if (ParentLink.Ensure(netlink, Name, o.Parent, parent)) lines.Add($"recreated macvlan parent {parent} of network {network.Name}");
            if (o.HostShim)
            {
                ReserveShimAddresses(network, restore: true);
                if (netlink.GetLink(ShimName(network)) is null)
                {
                    CreateShim(network, parent, reserve: false);
                    lines.Add($"recreated macvlan host shim {ShimName(network)} of network {network.Name}");
                }
            }
        }
        catch (NetPortalException e)
        {
            lines.Add($"could not restore macvlan network {network.Name}: {e.Message}");
        }
        foreach (var line in lines) logger.LogInformation("{Repair}", line);
        return lines;
    }

    public IReadOnlyList<string> RemoveOrphans(IReadOnlyCollection<Network> known)
    {
        var lines = ParentLink.RemoveOrphans(netlink, known);
        foreach (var line in lines) logger.LogInformation("{Repair}", line);
        return lines;
    }

    private static void Try(List<Exception> errors, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            errors.Add(e);
        }
    }
}
