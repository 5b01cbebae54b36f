using NetPortal.Core.Networks;

namespace NetPortal.Data.Tests;

internal static class SampleNetworks
{
    private static int _next;

    /// <summary>A unique, plain bridge network with one IPv4 pool.</summary>
    public static Network Bridge(string? name = null)
    {
        var n = Interlocked.Increment(ref _next);
        return new Network
        {
            Id = $"{n:x8}".PadLeft(64, 'a'),
            Name = name ?? $"net{n}",
            Created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddSeconds(n),
            Pools = [new IpamPool($"10.{n % 250}.0.0/24", null, $"10.{n % 250}.0.1", false, false, new Dictionary<string, string>())],
        };
    }

    /// <summary>Every field off its default: dual stack, ranges, aux addresses, options, labels, odd offset and ticks.</summary>
    public static Network EveryField() => new()
    {
        Id = "3f1c0b9e6a5d4c2b8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d",
        Name = "app-net",
        Driver = "macvlan",
        Scope = "swarm",
        Created = new DateTimeOffset(2025, 11, 30, 23, 59, 58, TimeSpan.FromHours(5.5)).AddTicks(1234567),
        EnableIPv4 = false,
        EnableIPv6 = true,
        Internal = true,
        Attachable = true,
        Ingress = true,
        ConfigOnly = true,
        ConfigFrom = "template-net",
        IpamDriver = "custom-ipam",
        IpamOptions = new Dictionary<string, string> { ["foo"] = "bar", ["empty"] = "" },
        Pools =
        [
            new IpamPool("172.28.0.0/16", "172.28.5.0/24", "172.28.5.254", true, true,
                new Dictionary<string, string> { ["host1"] = "172.28.1.5", ["host2"] = "172.28.1.6" }),
            new IpamPool("2001:db8:abcd::/64", "2001:db8:abcd::/80", "2001:db8:abcd::1", true, false,
                new Dictionary<string, string> { ["v6host"] = "2001:db8:abcd::10" }),
            new IpamPool("10.99.0.0/24", null, null, false, false, new Dictionary<string, string>()),
        ],
        Options = new Dictionary<string, string>
        {
            ["com.docker.network.bridge.name"] = "br-app",
            ["com.docker.network.driver.mtu"] = "1450",
            ["quote\"and\\slash"] = "ünïcödé ✓",
        },
        Labels = new Dictionary<string, string> { ["com.example.team"] = "net", ["zeta"] = "last", ["alpha"] = "after zeta" },
    };
}
