using System.Globalization;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Macvlan;

/// <summary>
/// The parent ("lower") link of a macvlan or ipvlan network, libnetwork's macvlan_setup.go/ipvlan_setup.go: an
/// existing link, an 802.1Q subinterface name.vid created with the network, or (no parent) a dummy link.
/// Links NetPortal creates carry IFLA_GROUP <see cref="CreatedGroup"/>, set in the creating request, so the kernel
/// itself says which parents to delete with their network, across daemon restarts, and never the user's own.
/// </summary>
internal static class ParentLink
{
    /// <summary>0x4e51 ("NQ"): next to the bridge reaper's 0x4e50; iproute2 names no group but 0 ("default").</summary>
    public const uint CreatedGroup = 0x4e51;

    /// <summary>Docker's name for a parent-less network's dummy link: prefix ("dm-" macvlan, "di-" ipvlan) + 12 hex of the id.</summary>
    public static string DummyName(string prefix, string networkId) => prefix + networkId[..12];

    /// <summary>The link the network's endpoints hang off: the parent option, or the dummy of a parent-less network.</summary>
    public static string Effective(string parent, string dummyPrefix, Network network) =>
        parent.Length > 0 ? parent : DummyName(dummyPrefix, network.Id);

    /// <summary>Option checks that need no kernel: loopback, and Docker 20.10's one network per parent per driver.</summary>
    public static void Validate(string driver, string dummyPrefix, string parent, Network network, IReadOnlyCollection<Network> existing, Func<Network, string> parentOf)
    {
        if (parent == "lo") throw NetPortalException.InvalidParameter($"loopback interface is not a valid {driver} parent link");
        var effective = Effective(parent, dummyPrefix, network);
        foreach (var other in existing)
        {
            if (other.Id == network.Id || other.Driver != driver) continue;
            if (parentOf(other) == effective)
                throw NetPortalException.Forbidden($"network {DummyName(dummyPrefix, other.Id)} is already using parent interface {effective}");
        }
    }

    /// <summary>
    /// Makes sure the parent exists (createNetwork): an existing link is used as is; a missing "name.vid" becomes a
    /// VLAN subinterface, a missing parent of a parent-less network a dummy. Returns whether NetPortal created it.
    /// </summary>
    public static bool Ensure(IRouteNetlink netlink, string driver, string parent, string effective)
    {
        if (netlink.GetLink(effective) is not null) return false;
        if (parent.Length == 0)
        {
            try
            {
                netlink.CreateDummy(effective, CreatedGroup);
            }
            catch (NetlinkException e) when (e.Errno == Errno.EOPNOTSUPP)
            {
                throw NetPortalException.Unavailable(
                    $"{driver} without a parent needs the kernel's dummy link type, which this kernel lacks (RTM_NEWLINK kind dummy: {e.Description})");
            }
            catch (NetlinkException e)
            {
                throw NetPortalException.Internal($"failed to create the {driver} dummy parent {effective}: {e.Description}", e);
            }
            SetUpOrDelete(netlink, effective, $"failed to enable {effective} the {driver} parent link");
            return true;
        }
        var (lower, vid) = ParseVlan(parent);
        if (netlink.GetLink(lower) is null)
            throw NetPortalException.InvalidParameter($"-o parent interface was not found on the host: {lower}");
        var id = CheckVid(vid);
        try
        {
            netlink.CreateVlan(parent, lower, id, CreatedGroup);
        }
        catch (NetlinkException e) when (e.Errno == Errno.EOPNOTSUPP)
        {
            // Docker says only "failed to create eth0.10 vlan link: operation not supported"; name what is missing.
            throw NetPortalException.Unavailable(
                $"failed to create {parent} vlan link: {e.Description} (this kernel lacks 802.1q VLAN support: the 8021q module)");
        }
        catch (NetlinkException e)
        {
            throw NetPortalException.Internal($"failed to create {parent} vlan link: {e.Description}", e);
        }
        SetUpOrDelete(netlink, parent, $"failed to enable {parent} the {driver} parent link");
        return true;
    }

    /// <summary>Deletes the parent if NetPortal created it (its group says so); a missing link is fine.</summary>
    public static void Release(IRouteNetlink netlink, string effective)
    {
        var link = netlink.GetLink(effective);
        if (link is null || link.Group != CreatedGroup) return;
        try
        {
            netlink.DeleteLink(effective);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
        }
    }

    /// <summary>libnetwork's parseVlan and createVlanLink checks, with Docker's messages.</summary>
    public static (string Lower, int Vid) ParseVlan(string parent)
    {
        if (!parent.Contains('.'))
            throw NetPortalException.InvalidParameter($"invalid subinterface vlan name {parent}, example formatting is eth0.10");
        var split = parent.Split('.');
        if (split.Length != 2)
            throw NetPortalException.InvalidParameter($"required interface name format is: name.vlan_id, ex. eth0.10 for vlan 10, instead received {parent}");
        if (!int.TryParse(split[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var vid))
            throw NetPortalException.InvalidParameter($"unable to parse a valid vlan id from: {split[1]} (ex. eth0.10 for vlan 10)");
        return (split[0], vid);
    }

    /// <summary>A VLAN identifier is a 12-bit field; 0 and 4095 are reserved.</summary>
    public static ushort CheckVid(int vid) =>
        vid is > 4094 or < 1 ? throw NetPortalException.InvalidParameter($"vlan id must be between 1-4094, received: {vid}") : (ushort)vid;

    /// <summary>Kernel-side parent checks (parseVlan's "parent interface was not found") before any creation.</summary>
    public static void CheckLower(IRouteNetlink netlink, string parent)
    {
        if (parent.Length == 0 || netlink.GetLink(parent) is not null) return;
        var (lower, vid) = ParseVlan(parent);
        if (netlink.GetLink(lower) is null)
            throw NetPortalException.InvalidParameter($"-o parent interface was not found on the host: {lower}");
        CheckVid(vid);
    }

    private static void SetUpOrDelete(IRouteNetlink netlink, string name, string context)
    {
        try
        {
            netlink.SetUp(name);
        }
        catch (NetlinkException e)
        {
            try { netlink.DeleteLink(name); }
            catch (NetlinkException) { }
            throw NetPortalException.Internal($"{context}: {e.Description}", e);
        }
    }

    /// <summary>
    /// Start-up: deletes links of <see cref="CreatedGroup"/> that no known macvlan/ipvlan network uses as parent and
    /// nor as host shim. Only NetPortal puts links in that group.
    /// </summary>
    public static List<string> RemoveOrphans(IRouteNetlink netlink, IReadOnlyCollection<Network> known)
    {
        var owned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in known)
        {
            if (n.Driver == "macvlan")
            {
                owned.Add(MacvlanOptions.EffectiveParent(n));
                owned.Add(MacvlanDriver.ShimName(n));
            }
            else if (n.Driver == "ipvlan") owned.Add(Effective(n.Option("parent") ?? "", "di-", n));
        }
        var lines = new List<string>();
        foreach (var link in netlink.DumpLinks().Where(l => l.Group == CreatedGroup && !owned.Contains(l.Name)))
        {
            try
            {
                netlink.DeleteLink(link.Name);
                lines.Add($"removed orphan {link.Kind} link {link.Name}");
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
            {
            }
        }
        return lines;
    }
}
