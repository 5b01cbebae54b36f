using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using NetPortal.Core.Containers;
using NetPortal.Core.Errors;
using NetPortal.Core.Ipam;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Macvlan;

/// <summary>
/// What macvlan and ipvlan endpoints share: a link of a parent in the managed namespace born directly inside the
/// sandbox under a temporary name, then configured in Docker's osl order (name, MAC, IPv4, IPv6, link-local, up).
/// </summary>
internal static class SandboxLink
{
    /// <summary>Deletes an endpoint's link inside the sandbox; a sandbox already gone took its links with it.</summary>
    public static void Leave(Func<string, IRouteNetlink> open, NetPortal.Core.Sandboxes.SandboxInfo sandbox, string interfaceName)
    {
        if (!File.Exists(sandbox.Key)) return;
        IRouteNetlink? inside = null;
        try
        {
            inside = open(sandbox.Key);
            DeleteQuietly(inside, interfaceName);
        }
        catch (Exception e) when (e is NetlinkException or IOException or InvalidOperationException)
        {
            throw new TeardownFailedException([NetPortalException.Internal($"failed to delete interface {interfaceName}: {e.Message}", e)]);
        }
        finally
        {
            (inside as IDisposable)?.Dispose();
        }
    }

    /// <summary>libnetwork's GenerateIfaceName: prefix + 7 random hex characters ("macvlan"/"ipvlan").</summary>
    public static string TemporaryName(string prefix) =>
        prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()[..7];

    /// <summary>The endpoint's addresses, parsed and checked before anything touches the kernel.</summary>
    public sealed record Plan(
        byte[]? Mac, string MacText,
        (IPAddress Address, int PrefixLength)? IPv4, string IPv4Text,
        (IPAddress Address, int PrefixLength)? IPv6, string IPv6Text,
        IReadOnlyList<(IPAddress Address, int PrefixLength)> LinkLocal)
    {
        public static Plan Parse(Endpoint e)
        {
            var name = e.InterfaceName;
            // dev_valid_name(): 1..IFNAMSIZ-1 bytes, not "." or "..", no '/', ':' or whitespace.
            if (name.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(name) >= Nl.IFNAMSIZ || name is "." or ".."
                || name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)))
                throw NetPortalException.InvalidParameter($"invalid interface name \"{name}\"");
            byte[]? mac = null;
            if (e.MacAddress.Length > 0)
            {
                // The kernel refuses group addresses (EADDRNOTAVAIL); say so up front.
                if (!MacAddresses.TryParse(e.MacAddress, out var bytes) || (bytes[0] & 1) != 0)
                    throw NetPortalException.InvalidParameter($"invalid MAC address: {e.MacAddress}");
                mac = bytes;
            }
            return new Plan(mac, e.MacAddress,
                ParseAddress(e.IPv4, AddressFamily.InterNetwork), e.IPv4,
                ParseAddress(e.IPv6, AddressFamily.InterNetworkV6), e.IPv6,
                e.LinkLocalIPs.Select(ParseLinkLocal).ToList());
        }

        private static (IPAddress, int)? ParseAddress(string text, AddressFamily family)
        {
            if (text.Length == 0) return null;
            if (!text.Contains('/') || !Cidr.TryParse(text, out var prefix, out _) || prefix.Family != family)
                throw NetPortalException.InvalidParameter($"invalid endpoint address {text}");
            return (Cidr.ParseInterfaceAddress(text).Address, prefix.PrefixLength);
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

    /// <summary>
    /// Docker's osl configureInterface order: name, MAC, IPv4, IPv6, link-local addresses, then up. IPv6 goes in with
    /// IFA_F_NODAD: the address is the sandbox's own by IPAM, and a tentative address could not be used for ~1 s.
    /// </summary>
    public static void Configure(IRouteNetlink inside, string temporary, string name, Plan plan)
    {
        // A new link is down, so it can be renamed at once.
        Step($"error renaming interface \"{temporary}\" to \"{name}\"", () => inside.SetName(temporary, name));
        if (plan.Mac is { } mac)
            Step($"error setting interface \"{temporary}\" MAC to \"{plan.MacText}\"", () => inside.SetMacAddress(name, mac));
        if (plan.IPv4 is { } v4)
            Step($"error setting interface \"{temporary}\" IP to {plan.IPv4Text}", () => inside.AddAddress(name, v4.Address, v4.PrefixLength));
        if (plan.IPv6 is { } v6)
            Step($"error setting interface \"{temporary}\" IPv6 to {plan.IPv6Text}", () => inside.AddAddressNoDad(name, v6.Address, v6.PrefixLength));
        if (plan.LinkLocal.Count > 0)
            Step($"error setting interface \"{temporary}\" link local IPs to [{string.Join(' ', plan.LinkLocal.Select(l => $"{l.Address}/{l.PrefixLength}"))}]", () =>
            {
                foreach (var (address, prefixLength) in plan.LinkLocal) inside.AddAddress(name, address, prefixLength);
            });
        Step("failed to set link up", () => inside.SetUp(name));
    }

    /// <summary>Deletes the link whichever name it has by now; a missing link (namespace gone) is fine.</summary>
    public static void DeleteQuietly(IRouteNetlink inside, params string[] names)
    {
        foreach (var n in names)
        {
            try
            {
                inside.DeleteLink(n);
                return;
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
            {
            }
        }
    }

    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenNamespaceFile(string key)
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
    public static void Step(string context, Action action)
    {
        try
        {
            action();
        }
        catch (NetlinkException e)
        {
            throw NetPortalException.Internal($"{context}: {e.Description}", e);
        }
    }

}
