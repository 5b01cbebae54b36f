using NetPortal.Core.Errors;
using NetPortal.Core.Networks;
using NetPortal.Linux.Macvlan;

namespace NetPortal.Linux.Ipvlan;

/// <summary>The ipvlan driver's -o options (libnetwork/drivers/ipvlan), parsed and checked with Docker's messages.</summary>
internal sealed record IpvlanOptions(string Parent, string Mode, ushort ModeValue, string Flag, ushort FlagValue)
{
    public const string ParentKey = "parent", ModeKey = "ipvlan_mode", FlagKey = "ipvlan_flag";

    public bool IsL3 => Mode is "l3" or "l3s";

    public static IpvlanOptions Parse(Network network)
    {
        var mode = network.Option(ModeKey) ?? "";
        // <linux/if_link.h> enum ipvlan_mode: IPVLAN_MODE_L2 = 0, L3 = 1, L3S = 2.
        ushort modeValue = mode switch
        {
            "" or "l2" => 0,
            "l3" => 1,
            "l3s" => 2,
            _ => throw NetPortalException.InvalidParameter($"requested ipvlan mode '{mode}' is not valid, 'l2' mode is the ipvlan driver default"),
        };
        var flag = network.Option(FlagKey) ?? "";
        // IPVLAN_F_PRIVATE = 0x01, IPVLAN_F_VEPA = 0x02; bridge is no flag at all.
        ushort flagValue = flag switch
        {
            "" or "bridge" => 0,
            "private" => 1,
            "vepa" => 2,
            _ => throw NetPortalException.InvalidParameter($"requested ipvlan flag '{flag}' is not valid, 'bridge' is the ipvlan driver default"),
        };
        return new IpvlanOptions(network.Option(ParentKey) ?? "", mode.Length == 0 ? "l2" : mode, modeValue, flag.Length == 0 ? "bridge" : flag, flagValue);
    }

    /// <summary>The link endpoints hang off: the parent, or "di-" + 12 hex of the id for a parent-less network.</summary>
    public static string EffectiveParent(Network network) => ParentLink.Effective(network.Option(ParentKey) ?? "", "di-", network);
}
