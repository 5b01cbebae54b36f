namespace NetPortal.Core.Drivers;

/// <summary>What a firewall backend needs to know of one bridge network.</summary>
/// <param name="NetworkId">Owner of the rules.</param>
/// <param name="BridgeName">Linux bridge device, e.g. docker0 or br-0123456789ab.</param>
/// <param name="SubnetsV4">IPv4 subnets in CIDR form.</param>
/// <param name="SubnetsV6">IPv6 subnets in CIDR form.</param>
/// <param name="Internal">No traffic in or out of the bridge except between its own endpoints.</param>
/// <param name="EnableIcc">Traffic between endpoints of the same bridge.</param>
/// <param name="EnableMasquerade">MASQUERADE for traffic leaving the subnet.</param>
/// <param name="HostBindingIPv4">Default host address of published ports.</param>
public sealed record NetworkFirewallSpec(
    string NetworkId,
    string BridgeName,
    IReadOnlyList<string> SubnetsV4,
    IReadOnlyList<string> SubnetsV6,
    bool Internal,
    bool EnableIcc,
    bool EnableMasquerade,
    string HostBindingIPv4);
