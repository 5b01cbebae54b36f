namespace NetPortal.Core.Networks;

/// <summary>One subnet of a network with what the user asked for kept apart from what was allocated.</summary>
/// <param name="Subnet">Canonical CIDR, e.g. 10.1.1.0/24.</param>
/// <param name="IPRange">Sub-range dynamic addresses come from, or null for the whole subnet.</param>
/// <param name="Gateway">Gateway address in use (without prefix), or null when the driver needs none.</param>
/// <param name="SubnetRequested">The user named the subnet (false: picked from the default pools).</param>
/// <param name="GatewayRequested">The user named the gateway.</param>
/// <param name="AuxiliaryAddresses">Reserved addresses by name; never handed out.</param>
public sealed record IpamPool(
    string Subnet,
    string? IPRange,
    string? Gateway,
    bool SubnetRequested,
    bool GatewayRequested,
    IReadOnlyDictionary<string, string> AuxiliaryAddresses)
{
    public bool IsIPv6 => Subnet.Contains(':');
}
