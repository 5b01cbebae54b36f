using Microsoft.Extensions.Logging;
using NetPortal.Core.Containers;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Macvlan;

public sealed partial class MacvlanDriver
{
    private const int NameAttempts = 3; // libnetwork's GenerateIfaceName gives up after three taken names

    /// <summary>Opens rtnetlink inside a sandbox's namespace file (its Key); tests put a fake here.</summary>
    internal Func<string, IRouteNetlink> OpenSandboxNetlink { get; init; } = RouteNetlink.OpenIn;

    /// <summary>
    /// Docker's macvlan endpoint: a macvlan of the parent ("macvlan" + 7 hex), renamed in the sandbox, with the
    /// endpoint's MAC (02:42 + IPv4 as Docker 20.10) and addresses. Docker creates it in the host namespace and moves it;
    /// here it is born in the sandbox (IFLA_NET_NS_FD with IFLA_LINK resolved in the managed namespace), which saves
    /// the move's RCU grace period. The default route (via the IPAM gateway) is left to the sandbox runtime.
    /// </summary>
    public Endpoint Join(Network network, Endpoint endpoint, SandboxInfo sandbox)
    {
        var o = MacvlanOptions.Parse(network);
        var parent = MacvlanOptions.EffectiveParent(network);
        var plan = SandboxLink.Plan.Parse(endpoint);
        var parentLink = netlink.GetLink(parent)
            ?? throw NetPortalException.Internal($"the requested parent interface {parent} was not found on the Docker host");
        using var nsFile = SandboxLink.OpenNamespaceFile(sandbox.Key);
        IRouteNetlink inside = null!;
        SandboxLink.Step($"failed to get network namespace \"{sandbox.Key}\"", () => inside = OpenSandboxNetlink(sandbox.Key));
        string? temporary = null;
        try
        {
            temporary = CreatePort(parent, o.ModeValue, (int)nsFile.DangerousGetHandle());
            SandboxLink.Configure(inside, temporary, endpoint.InterfaceName, plan);
            logger.LogDebug("endpoint {Endpoint}: macvlan of {Parent} as {Name} in {Sandbox}", endpoint.Id, parent, endpoint.InterfaceName, sandbox.Key);
            return endpoint with { HostInterfaceName = "", Mtu = parentLink.Mtu > 0 ? parentLink.Mtu : endpoint.Mtu };
        }
        catch (Exception failure)
        {
            if (temporary is not null)
            {
                try { SandboxLink.DeleteQuietly(inside, temporary, endpoint.InterfaceName); }
                catch (Exception e) { logger.LogWarning(e, "undo of macvlan {Name} for endpoint {Endpoint} failed", temporary, endpoint.Id); }
            }
            logger.LogWarning(failure, "join of endpoint {Endpoint} to sandbox {Sandbox} failed; undone", endpoint.Id, sandbox.Key);
            throw;
        }
        finally
        {
            (inside as IDisposable)?.Dispose();
        }
    }

    /// <summary>Deletes the endpoint's macvlan inside the sandbox; a sandbox already gone took it with it.</summary>
    public void Leave(Network network, Endpoint endpoint, SandboxInfo sandbox)
        => SandboxLink.Leave(OpenSandboxNetlink, sandbox, endpoint.InterfaceName);

    /// <summary>Creates the port under a random temporary name, retrying taken names; names a missing macvlan kernel.</summary>
    private string CreatePort(string parent, uint mode, int sandboxFd)
    {
        for (var attempt = 1; ; attempt++)
        {
            var name = SandboxLink.TemporaryName("macvlan");
            try
            {
                netlink.CreateMacvlan(name, parent, mode, sandboxFd);
                return name;
            }
            catch (NetlinkException e) when (e.Errno == Errno.EEXIST && attempt < NameAttempts)
            {
            }
            catch (NetlinkException e) when (e.Errno == Errno.EOPNOTSUPP)
            {
                throw NetPortalException.Unavailable($"failed to create the macvlan port: {e.Description} (this kernel lacks the macvlan link type)");
            }
            catch (NetlinkException e)
            {
                throw NetPortalException.Internal($"failed to create the macvlan port: {e.Description}", e);
            }
        }
    }
}
