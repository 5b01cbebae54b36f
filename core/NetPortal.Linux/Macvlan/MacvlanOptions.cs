using NetPortal.Core.Errors;
using NetPortal.Core.Filters;
using NetPortal.Core.Networks;

namespace NetPortal.Linux.Macvlan;

/// <summary>The macvlan driver's -o options (libnetwork/drivers/macvlan), parsed and checked.</summary>
internal sealed record MacvlanOptions(string Parent, string Mode, uint ModeValue, bool HostShim)
{
    public const string ParentKey = "parent", ModeKey = "macvlan_mode", HostShimKey = "netportal.macvlan.host_shim";

    // <linux/if_link.h> enum macvlan_mode.
    private const uint Private = 1, Vepa = 2, Bridge = 4, Passthru = 8;

    public static MacvlanOptions Parse(Network network)
    {
        var parent = network.Option(ParentKey) ?? "";
        var mode = network.Option(ModeKey) ?? "";
        uint value = mode switch
        {
            "" or "bridge" => Bridge,
            "private" => Private,
            "vepa" => Vepa,
            "passthru" => Passthru,
            _ => throw NetPortalException.InvalidParameter($"requested macvlan mode '{mode}' is not valid, 'bridge' mode is the macvlan driver default"),
        };
        var shim = false;
        if (network.Option(HostShimKey) is { } text && !GoBool.TryParse(text, out shim))
            throw NetPortalException.InvalidParameter($"failed to parse {HostShimKey} value: {text} (invalid syntax)");
        return new MacvlanOptions(parent, mode.Length == 0 ? "bridge" : mode, value, shim);
    }

    /// <summary>The link endpoints hang off: the parent, or "dm-" + 12 hex of the id for a parent-less network.</summary>
    public static string EffectiveParent(Network network) =>
        ParentLink.Effective(network.Option(ParentKey) ?? "", "dm-", network);
}
