using System.Security.Cryptography;
using NetPortal.Core.Daemon;
using NetPortal.Core.Ipam;

namespace NetPortal.Core.Networks;

/// <summary>Builds the predefined bridge, host and none networks Docker creates on first start.</summary>
internal static class PredefinedFactory
{
    public const string DefaultBip = "172.17.0.1/16";

    public static IEnumerable<Network> Missing(IReadOnlyList<Network> existing, DaemonOptions options, DateTimeOffset now)
    {
        if (!existing.Any(n => n.Name == PredefinedNetworks.Bridge)) yield return DefaultBridge(options, now);
        if (!existing.Any(n => n.Name == PredefinedNetworks.Host)) yield return Plain(PredefinedNetworks.Host, "host", now);
        if (!existing.Any(n => n.Name == PredefinedNetworks.None)) yield return Plain(PredefinedNetworks.None, "null", now);
    }

    public static Network DefaultBridge(DaemonOptions options, DateTimeOffset now)
    {
        var (gateway, subnet) = Cidr.ParseInterfaceAddress(options.Bip ?? DefaultBip);
        var pools = new List<IpamPool> { new(subnet.ToString(), null, gateway.ToString(), true, true, new Dictionary<string, string>()) };
        var ipv6 = options.Ipv6 && options.FixedCidrV6 is not null;
        if (ipv6)
        {
            // dockerd gives docker0 the first address of fixed-cidr-v6 as its IPv6 gateway.
            var v6 = Cidr.Parse(options.FixedCidrV6!);
            pools.Add(new IpamPool(v6.ToString(), null, v6.AddressAt(v6.Network + 1).ToString(), true, false, new Dictionary<string, string>()));
        }
        return new Network
        {
            Id = NewId(),
            Name = PredefinedNetworks.Bridge,
            Driver = "bridge",
            Created = now,
            IpamOptions = null,
            EnableIPv6 = ipv6,
            Pools = pools,
            Options = new Dictionary<string, string>
            {
                ["com.docker.network.bridge.default_bridge"] = "true",
                ["com.docker.network.bridge.enable_icc"] = "true",
                ["com.docker.network.bridge.enable_ip_masquerade"] = options.IpMasq ? "true" : "false",
                ["com.docker.network.bridge.host_binding_ipv4"] = "0.0.0.0",
                ["com.docker.network.bridge.name"] = options.DefaultBridgeName,
                ["com.docker.network.driver.mtu"] = options.Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }

    private static Network Plain(string name, string driver, DateTimeOffset now) => new()
    {
        Id = NewId(),
        Name = name,
        Driver = driver,
        Created = now,
        IpamOptions = null,
    };

    /// <summary>64 lowercase hex characters, as Docker's stringid.GenerateRandomID.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
