using System.Net;
using System.Net.Sockets;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;

namespace NetPortal.Core.Ipam;

/// <summary>
/// Docker v28's ValidateIPAM (api/types/network/ipam.go): every problem of every config is collected, then reported
/// as one 400 "invalid network config:" error. IPv6 configs are not looked at when IPv6 is disabled.
/// </summary>
internal static class IpamConfigValidator
{
    public static void Validate(IReadOnlyList<IpamPoolRequest> requests, bool enableIPv6)
    {
        var errors = Collect(requests, enableIPv6);
        if (errors.Count == 0) return;
        var body = errors.Count == 1 ? errors[0] : string.Join("\n", errors.Select(e => "* " + e));
        throw NetPortalException.InvalidParameter("invalid network config:\n" + body);
    }

    public static List<string> Collect(IReadOnlyList<IpamPoolRequest> requests, bool enableIPv6)
    {
        var errors = new List<string>();
        foreach (var cfg in requests)
        {
            // An empty Subnet fails here too, as it does in Go: IPRange/Gateway without a Subnet are refused.
            if (!TryParseSubnet(cfg.Subnet, out var subnet, out var subnetText))
            {
                errors.Add($"invalid subnet {cfg.Subnet}: invalid CIDR block notation");
                continue;
            }
            if (subnet.IsIPv6 && !enableIPv6) continue;

            if (subnetText != subnet.ToString())
                errors.Add($"invalid subnet {subnetText}: it should be {subnet}");

            ValidateIPRange(cfg.IPRange, subnet, subnetText, errors);

            if (AddressError(cfg.Gateway, subnet, subnetText) is { } gatewayError)
                errors.Add($"invalid gateway {cfg.Gateway}: {gatewayError}");

            foreach (var (name, aux) in (cfg.AuxiliaryAddresses ?? new Dictionary<string, string>()).OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                if (AddressError(aux, subnet, subnetText) is { } auxError)
                    errors.Add($"invalid auxiliary address {name}: {auxError}");
            }
        }
        return errors;
    }

    /// <param name="text">The prefix as Go prints it: canonical address, host bits kept.</param>
    private static bool TryParseSubnet(string? raw, out Cidr subnet, out string text)
    {
        subnet = default;
        text = "";
        if (raw is null || !NetipParser.TryParsePrefix(raw, out var address, out var length)) return false;
        subnet = Cidr.Parse(raw);
        text = $"{address}/{length}";
        return true;
    }

    private static void ValidateIPRange(string? ipRange, Cidr subnet, string subnetText, List<string> errors)
    {
        if (string.IsNullOrEmpty(ipRange)) return;
        if (!TryParseSubnet(ipRange, out var range, out var rangeText))
        {
            errors.Add($"invalid ip-range {ipRange}: invalid CIDR block notation");
            return;
        }
        if (range.Family != subnet.Family)
        {
            errors.Add($"invalid ip-range {ipRange}: parent subnet is an {FamilyName(subnet)} block");
            return;
        }
        if (range.PrefixLength < subnet.PrefixLength)
            errors.Add($"invalid ip-range {ipRange}: CIDR block is bigger than its parent subnet {subnetText}");
        if (rangeText != range.ToString())
            errors.Add($"invalid ip-range {rangeText}: it should be {range}");
        if (!subnet.Overlaps(range))
            errors.Add($"invalid ip-range {ipRange}: parent subnet {subnetText} doesn't contain ip-range");
    }

    private static string? AddressError(string? text, Cidr subnet, string subnetText)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (!NetipParser.TryParseAddress(text, out var address, out var zoned)) return "invalid address";
        if (address.AddressFamily != subnet.Family) return $"parent subnet is an {FamilyName(subnet)} block";
        // Go's Prefix.Contains is false for an address carrying a zone.
        if (zoned || !subnet.Contains(address)) return $"parent subnet {subnetText} doesn't contain this address";
        return null;
    }

    private static string FamilyName(Cidr subnet) => subnet.Family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    public static IPAddress ParseAddress(string text) =>
        NetipParser.TryParseAddress(text, out var address, out _) ? address : throw new FormatException($"invalid address {text}");
}
