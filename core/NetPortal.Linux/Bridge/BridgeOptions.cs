using System.Net;
using NetPortal.Core.Daemon;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;

namespace NetPortal.Linux.Bridge;

/// <summary>The bridge driver's view of a network's options (com.docker.network.*), parsed with Docker's rules.</summary>
internal sealed record BridgeOptions(string BridgeName, int Mtu, bool EnableIcc, bool EnableMasquerade, string HostBindingIPv4)
{
    public const string NameOption = "com.docker.network.bridge.name";
    public const string MtuOption = "com.docker.network.driver.mtu";
    public const string IccOption = "com.docker.network.bridge.enable_icc";
    public const string MasqueradeOption = "com.docker.network.bridge.enable_ip_masquerade";
    public const string HostBindingOption = "com.docker.network.bridge.host_binding_ipv4";

    /// <summary>Docker names user bridges br- plus the first 12 characters of the network id.</summary>
    public static string BridgeNameOf(Network network) =>
        network.Option(NameOption) is { Length: > 0 } name ? name : "br-" + network.Id[..Math.Min(12, network.Id.Length)];

    /// <summary>BridgeNameOf(network) == bridgeName without building the name (Validate asks it of every network).</summary>
    public static bool HasBridgeName(Network network, string bridgeName)
    {
        if (network.Option(NameOption) is { Length: > 0 } name) return name == bridgeName;
        var id = network.Id.AsSpan(0, Math.Min(12, network.Id.Length));
        return bridgeName.Length == 3 + id.Length && bridgeName.StartsWith("br-", StringComparison.Ordinal) && bridgeName.AsSpan(3).SequenceEqual(id);
    }

    public static BridgeOptions Parse(Network network, DaemonOptions daemon)
    {
        var mtu = daemon.Mtu;
        if (network.Option(MtuOption) is { } mtuText)
        {
            var n = GoStrconv.Atoi(MtuOption, mtuText);
            if (n < 0) throw NetPortalException.InvalidParameter($"invalid MTU number: {n}");
            if (n > int.MaxValue) throw NetPortalException.InvalidParameter($"invalid MTU number: {n}");
            mtu = (int)n;
        }
        var icc = network.Option(IccOption) is { } iccText ? GoStrconv.ParseBool(IccOption, iccText) : true;
        var masq = daemon.IpMasq && (network.Option(MasqueradeOption) is not { } m || GoStrconv.ParseBool(MasqueradeOption, m));
        var hostIp = "0.0.0.0";
        if (network.Option(HostBindingOption) is { } hb)
        {
            // Go's net.ParseIP rejects zones and surrounding space; IPAddress.TryParse accepts both.
            if (hb.Contains('%') || hb.Trim() != hb || !IPAddress.TryParse(hb, out var ip))
                throw GoStrconv.ParseError(HostBindingOption, hb, "nil ip");
            hostIp = ip.ToString();
        }
        return new BridgeOptions(BridgeNameOf(network), mtu, icc, masq, hostIp);
    }
}
