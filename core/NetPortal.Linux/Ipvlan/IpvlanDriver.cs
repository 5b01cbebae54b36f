using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NetPortal.Core.Containers;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Macvlan;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Ipvlan;

/// <summary>
/// Docker's "ipvlan" driver: containers share the parent's MAC and are told apart by IP. l2 behaves like macvlan
/// bridge mode (gateway from IPAM); l3/l3s route at the parent's stack, so the sandbox gets default routes out of
/// the interface instead of a gateway. Setup probes the kernel with a short-lived ipvlan of the parent, so a kernel
/// without ipvlan refuses the network at create time (Docker would only fail at the first container) and nothing
/// stays behind.
/// </summary>
public sealed class IpvlanDriver(IRouteNetlink netlink, ILogger logger) : INetworkDriver, IEndpointDriver
{
    private const int NameAttempts = 3;

    public string Name => "ipvlan";
    public bool NeedsIpam => true;

    /// <summary>Opens rtnetlink inside a sandbox's namespace file (its Key); tests put a fake here.</summary>
    internal Func<string, IRouteNetlink> OpenSandboxNetlink { get; init; } = RouteNetlink.OpenIn;

    public void Validate(Network network, IReadOnlyCollection<Network> existing)
    {
        var o = IpvlanOptions.Parse(network);
        ParentLink.Validate(Name, "di-", o.Parent, network, existing, IpvlanOptions.EffectiveParent);
    }

    public void Setup(Network network)
    {
        var o = IpvlanOptions.Parse(network);
        var parent = IpvlanOptions.EffectiveParent(network);
        ParentLink.CheckLower(netlink, o.Parent);
        var created = ParentLink.Ensure(netlink, Name, o.Parent, parent);
        try
        {
            Probe(parent, o);
        }
        catch
        {
            if (created) ParentLink.Release(netlink, parent);
            throw;
        }
        logger.LogInformation("ipvlan network {Id} on {Parent} mode {Mode} flag {Flag}", network.Id[..12], parent, o.Mode, o.Flag);
    }

    public void Teardown(Network network)
    {
        try
        {
            ParentLink.Release(netlink, IpvlanOptions.EffectiveParent(network));
        }
        catch (Exception e)
        {
            throw new TeardownFailedException([e]);
        }
    }

    public IReadOnlyList<string> Restore(Network network)
    {
        var lines = new List<string>();
        try
        {
            var o = IpvlanOptions.Parse(network);
            var parent = IpvlanOptions.EffectiveParent(network);
            if (ParentLink.Ensure(netlink, Name, o.Parent, parent)) lines.Add($"recreated ipvlan parent {parent} of network {network.Name}");
        }
        catch (NetPortalException e)
        {
            lines.Add($"could not restore ipvlan network {network.Name}: {e.Message}");
        }
        return lines;
    }

    public IReadOnlyList<string> RemoveOrphans(IReadOnlyCollection<Network> known) => ParentLink.RemoveOrphans(netlink, known);

    /// <summary>
    /// Docker's ipvlan endpoint ("ipvlan" + 7 hex, renamed in the sandbox). ipvlan ports share the parent's MAC, so
    /// no MAC is set (the kernel refuses a change: ipvlan has no ndo_set_mac_address of its own). In l3/l3s the
    /// sandbox gets "default dev ethN" per family, as Docker's l3 Join adds instead of a gateway.
    /// </summary>
    public Endpoint Join(Network network, Endpoint endpoint, SandboxInfo sandbox)
    {
        var o = IpvlanOptions.Parse(network);
        var parent = IpvlanOptions.EffectiveParent(network);
        var plan = SandboxLink.Plan.Parse(endpoint with { MacAddress = "" });
        if (netlink.GetLink(parent) is null)
            throw NetPortalException.Internal($"the requested parent interface {parent} was not found on the Docker host");
        using var nsFile = SandboxLink.OpenNamespaceFile(sandbox.Key);
        IRouteNetlink inside = null!;
        SandboxLink.Step($"failed to get network namespace \"{sandbox.Key}\"", () => inside = OpenSandboxNetlink(sandbox.Key));
        string? temporary = null;
        try
        {
            temporary = CreatePort(parent, o, (int)nsFile.DangerousGetHandle());
            SandboxLink.Configure(inside, temporary, endpoint.InterfaceName, plan);
            if (o.IsL3)
            {
                if (plan.IPv4 is not null)
                    SandboxLink.Step("failed to add the default route", () => inside.ReplaceDefaultDeviceRoute(endpoint.InterfaceName, AddressFamily.InterNetwork));
                if (plan.IPv6 is not null)
                    SandboxLink.Step("failed to add the default route", () => inside.ReplaceDefaultDeviceRoute(endpoint.InterfaceName, AddressFamily.InterNetworkV6));
            }
            return endpoint with { HostInterfaceName = "", MacAddress = "", Gateway = o.IsL3 ? "" : endpoint.Gateway, GatewayIPv6 = o.IsL3 ? "" : endpoint.GatewayIPv6 };
        }
        catch (Exception failure)
        {
            if (temporary is not null)
            {
                try { SandboxLink.DeleteQuietly(inside, temporary, endpoint.InterfaceName); }
                catch (Exception e) { logger.LogWarning(e, "undo of ipvlan {Name} for endpoint {Endpoint} failed", temporary, endpoint.Id); }
            }
            logger.LogWarning(failure, "join of endpoint {Endpoint} to sandbox {Sandbox} failed; undone", endpoint.Id, sandbox.Key);
            throw;
        }
        finally
        {
            (inside as IDisposable)?.Dispose();
        }
    }

    public void Leave(Network network, Endpoint endpoint, SandboxInfo sandbox)
        => SandboxLink.Leave(OpenSandboxNetlink, sandbox, endpoint.InterfaceName);

    /// <summary>Creates and deletes one ipvlan of the parent in the managed namespace: proves the kernel has ipvlan.</summary>
    private void Probe(string parent, IpvlanOptions o)
    {
        var name = SandboxLink.TemporaryName("ipvlan");
        try
        {
            netlink.CreateIpvlan(name, parent, o.ModeValue, o.FlagValue);
        }
        catch (NetlinkException e)
        {
            throw Describe(e);
        }
        SandboxLink.DeleteQuietly(netlink, name);
    }

    private string CreatePort(string parent, IpvlanOptions o, int sandboxFd)
    {
        for (var attempt = 1; ; attempt++)
        {
            var name = SandboxLink.TemporaryName("ipvlan");
            try
            {
                netlink.CreateIpvlan(name, parent, o.ModeValue, o.FlagValue, sandboxFd);
                return name;
            }
            catch (NetlinkException e) when (e.Errno == Errno.EEXIST && attempt < NameAttempts)
            {
            }
            catch (NetlinkException e)
            {
                throw Describe(e);
            }
        }
    }

    // Docker: "failed to create the ipvlan port: operation not supported"; EOPNOTSUPP from RTM_NEWLINK means the
    // kernel has no rtnl_link_ops for "ipvlan" (CONFIG_IPVLAN off or the module not loadable), so say that.
    private static NetPortalException Describe(NetlinkException e) => e.Errno == Errno.EOPNOTSUPP
        ? NetPortalException.Unavailable($"failed to create the ipvlan port: {e.Description} (this kernel lacks the ipvlan link type: RTM_NEWLINK kind ipvlan)")
        : NetPortalException.Internal($"failed to create the ipvlan port: {e.Description}", e);
}
