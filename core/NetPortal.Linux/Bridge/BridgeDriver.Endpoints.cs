using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using NetPortal.Core.Containers;
using NetPortal.Core.Errors;
using NetPortal.Core.Ipam;
using NetPortal.Core.Networks;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Bridge;

public sealed partial class BridgeDriver
{
    private const int VethNameAttempts = 3; // libnetwork's GenerateIfaceName gives up after three taken names

    /// <summary>Opens rtnetlink inside a sandbox's namespace file (its Key); tests put a fake here.</summary>
    internal Func<string, IRouteNetlink> OpenSandboxNetlink { get; init; } = RouteNetlink.OpenIn;

    /// <summary>
    /// Docker 20.10's bridge endpoint: a veth pair whose host end (veth + 7 hex) is a port of the network's bridge and
    /// whose other end becomes <see cref="Endpoint.InterfaceName"/> in the sandbox. Hairpin mode stays off (Docker
    /// turns it on only without the userland proxy), and the default route is left to the sandbox runtime.
    /// </summary>
    public Endpoint Join(Network network, Endpoint endpoint, SandboxInfo sandbox)
    {
        var o = BridgeOptions.Parse(network, options);
        var plan = EndpointPlan.Parse(endpoint);
        var started = Stopwatch.GetTimestamp();
        using var nsFile = OpenNamespaceFile(sandbox.Key);
        IRouteNetlink inside = null!;
        Step($"failed to get network namespace \"{sandbox.Key}\"", () => inside = OpenSandboxNetlink(sandbox.Key));
        var undo = new Stack<(string What, Action Undo)>();
        try
        {
            // Docker creates both ends here and then moves the peer into the sandbox; the move alone costs an RCU
            // grace period (~20 ms), so the peer is born in the sandbox instead, under the same temporary name, and
            // the rest follows Docker's steps. The kernel takes its own reference to the namespace: the fd only has
            // to stay open for this call.
            var (host, peer) = CreateVethPair(o.Mtu, (int)nsFile.DangerousGetHandle());
            // Deleting either end of a veth deletes both (veth_dellink unregisters the peer too), wherever the peer
            // is; so this one undo also covers the rename and the addresses inside the sandbox.
            undo.Push(($"delete veth {host}", () => netlink.DeleteLink(host)));
            Step($"adding interface {host} to bridge {o.BridgeName} failed", () => netlink.SetMaster(host, o.BridgeName));
            Step($"could not set link up for host interface {host}", () => netlink.SetUp(host));
            ConfigureInside(inside, peer, endpoint.InterfaceName, plan);
            logger.LogDebug("endpoint {Endpoint}: {Host} on {Bridge} <=> {Name} in {Sandbox} in {Ms:F2} ms",
                endpoint.Id, host, o.BridgeName, endpoint.InterfaceName, sandbox.Key, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return endpoint with { HostInterfaceName = host, Mtu = o.Mtu > 0 ? o.Mtu : endpoint.Mtu };
        }
        catch (Exception failure)
        {
            while (undo.TryPop(out var step))
            {
                try { step.Undo(); }
                catch (Exception e) { logger.LogWarning(e, "undo of {Step} for endpoint {Endpoint} failed", step.What, endpoint.Id); }
            }
            logger.LogWarning(failure, "join of endpoint {Endpoint} to sandbox {Sandbox} failed; undone", endpoint.Id, sandbox.Key);
            throw;
        }
        finally
        {
            (inside as IDisposable)?.Dispose();
        }
    }

    /// <summary>Deletes the host end of the veth; the kernel removes the sandbox end with it. A missing veth is fine.</summary>
    public void Leave(Network network, Endpoint endpoint, SandboxInfo sandbox)
    {
        if (endpoint.HostInterfaceName.Length == 0) return;
        var errors = new List<Exception>();
        var started = Stopwatch.GetTimestamp();
        try
        {
            netlink.DeleteLink(endpoint.HostInterfaceName);
        }
        // Gone already: the sandbox's namespace was destroyed (which deletes the pair) or an earlier Leave got here.
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
        }
        catch (Exception e)
        {
            errors.Add(NetPortalException.Internal($"failed to delete host interface {endpoint.HostInterfaceName}: {Describe(e)}", e));
        }
        logger.LogDebug("endpoint {Endpoint}: {Host} deleted in {Ms:F2} ms",
            endpoint.Id, endpoint.HostInterfaceName, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (errors.Count > 0) throw new TeardownFailedException(errors);
    }

    /// <summary>Docker's osl configureInterface order: name, MAC, IPv4, IPv6, link-local addresses, then up.</summary>
    private static void ConfigureInside(IRouteNetlink inside, string peer, string name, EndpointPlan plan)
    {
        // A new veth end is down, so it can be renamed at once (Docker sets it down first; a no-op here).
        Step($"error renaming interface \"{peer}\" to \"{name}\"", () => inside.SetName(peer, name));
        if (plan.Mac is { } mac)
            Step($"error setting interface \"{peer}\" MAC to \"{plan.MacText}\"", () => inside.SetMacAddress(name, mac));
        var routes = plan.IPv4 is not null || plan.IPv6 is not null ? inside.DumpRoutes() : [];
        if (plan.IPv4 is { } v4)
            Step($"error setting interface \"{peer}\" IP to {plan.IPv4Text}", () =>
            {
                CheckRouteConflict(routes, v4.Address, v4.Prefix, plan.IPv4Text);
                inside.AddAddress(name, v4.Address, v4.Prefix.PrefixLength);
            });
        if (plan.IPv6 is { } v6)
            Step($"error setting interface \"{peer}\" IPv6 to {plan.IPv6Text}", () =>
            {
                CheckRouteConflict(routes, v6.Address, v6.Prefix, plan.IPv6Text);
                inside.AddAddressNoDad(name, v6.Address, v6.Prefix.PrefixLength);
            });
        if (plan.LinkLocal.Count > 0)
            Step($"error setting interface \"{peer}\" link local IPs to [{string.Join(' ', plan.LinkLocal.Select(l => $"{l.Address}/{l.PrefixLength}"))}]", () =>
            {
                foreach (var (address, prefixLength) in plan.LinkLocal) inside.AddAddress(name, address, prefixLength);
            });
        Step("failed to set link up", () => inside.SetUp(name));
    }

    /// <summary>Creates the pair under random names (libnetwork: "veth" + 7 hex for both ends), retrying taken names.</summary>
    private (string Host, string Peer) CreateVethPair(int mtu, int sandboxFd)
    {
        for (var attempt = 1; ; attempt++)
        {
            var host = RandomVethName();
            var peer = RandomVethName();
            try
            {
                netlink.CreateVethPair(host, peer, mtu, sandboxFd);
                return (host, peer);
            }
            catch (NetlinkException e) when (e.Errno == Errno.EEXIST && attempt < VethNameAttempts)
            {
            }
            catch (NetlinkException e)
            {
                throw NetPortalException.Internal($"failed to add the host ({host}) <=> sandbox ({peer}) pair interfaces: {e.Description}", e);
            }
        }
    }

    internal static string RandomVethName() =>
        "veth" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()[..7];

    /// <summary>
    /// libnetwork's checkRouteConflict: an address may not overlap a route the sandbox already has (another network's
    /// subnet on an earlier interface); default routes (no destination) never conflict.
    /// </summary>
    private static void CheckRouteConflict(IReadOnlyList<RouteInfo> routes, IPAddress address, Cidr prefix, string text)
    {
        foreach (var r in routes)
        {
            if (r.PrefixLength == 0 || r.Destination.AddressFamily != address.AddressFamily) continue;
            var dst = new Cidr(r.Destination.AddressFamily, Cidr.ToUInt128(r.Destination), r.PrefixLength);
            if (dst.Contains(address) || prefix.Contains(r.Destination))
                throw new InvalidOperationException(
                    $"cannot program address {text} in sandbox interface because it conflicts with existing route {{Ifindex: {r.OutputLinkIndex} Dst: {r.Destination}/{r.PrefixLength} Gw: {r.Gateway?.ToString() ?? "<nil>"}}}");
        }
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenNamespaceFile(string key)
    {
        try
        {
            return File.OpenHandle(key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NetPortalException.Internal($"failed to get network namespace \"{key}\": {e.Message}", e);
        }
    }

    /// <summary>Runs one step and puts Docker's context in front of the error, as libnetwork's fmt.Errorf chain does.</summary>
    private static void Step(string context, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is NetlinkException or InvalidOperationException)
        {
            throw NetPortalException.Internal($"{context}: {Describe(e)}", e);
        }
    }

    private static string Describe(Exception e) => e is NetlinkException n ? n.Description : e.Message;

    /// <summary>The endpoint's addresses, parsed and checked before anything touches the kernel.</summary>
    private sealed record EndpointPlan(
        byte[]? Mac, string MacText,
        (IPAddress Address, Cidr Prefix)? IPv4, string IPv4Text,
        (IPAddress Address, Cidr Prefix)? IPv6, string IPv6Text,
        IReadOnlyList<(IPAddress Address, int PrefixLength)> LinkLocal)
    {
        public static EndpointPlan Parse(Endpoint e)
        {
            var name = e.InterfaceName;
            // dev_valid_name(): 1..IFNAMSIZ-1 bytes, not "." or "..", no '/', ':' or whitespace.
            if (name.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(name) >= Nl.IFNAMSIZ || name is "." or ".."
                || name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)))
                throw NetPortalException.InvalidParameter($"invalid interface name \"{name}\"");
            var mac = e.MacAddress.Length == 0 ? null : ParseMac(e.MacAddress);
            return new EndpointPlan(
                mac, e.MacAddress,
                ParseAddress(e.IPv4, AddressFamily.InterNetwork), e.IPv4,
                ParseAddress(e.IPv6, AddressFamily.InterNetworkV6), e.IPv6,
                e.LinkLocalIPs.Select(ParseLinkLocal).ToList());
        }

        private static byte[] ParseMac(string text)
        {
            var parts = text.Split(':');
            var bytes = new byte[6];
            if (parts.Length != 6) throw BadMac(text);
            for (var i = 0; i < 6; i++)
                if (parts[i].Length != 2 || !byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
                    throw BadMac(text);
            // The kernel refuses group addresses (eth_prepare_mac_addr_change: EADDRNOTAVAIL); say so up front.
            if ((bytes[0] & 1) != 0) throw BadMac(text);
            return bytes;
        }

        private static NetPortalException BadMac(string text) => NetPortalException.InvalidParameter($"invalid MAC address: {text}");

        private static (IPAddress, Cidr)? ParseAddress(string text, AddressFamily family)
        {
            if (text.Length == 0) return null;
            if (!text.Contains('/') || !Cidr.TryParse(text, out var prefix, out _) || prefix.Family != family)
                throw NetPortalException.InvalidParameter($"invalid endpoint address {text}");
            return Cidr.ParseInterfaceAddress(text);
        }

        // libnetwork's CreateOptionIpam gives link-local IPs a /16 (IPv4) or /64 (IPv6) mask; an explicit prefix is kept.
        private static (IPAddress, int) ParseLinkLocal(string text)
        {
            if (text.Contains('/'))
            {
                if (!Cidr.TryParse(text, out var prefix, out _)) throw NetPortalException.InvalidParameter($"invalid link-local address {text}");
                return (Cidr.ParseInterfaceAddress(text).Address, prefix.PrefixLength);
            }
            if (!IPAddress.TryParse(text, out var ip) || text.Contains('%'))
                throw NetPortalException.InvalidParameter($"invalid link-local address {text}");
            return (ip, ip.AddressFamily == AddressFamily.InterNetworkV6 ? 64 : 16);
        }
    }
}
