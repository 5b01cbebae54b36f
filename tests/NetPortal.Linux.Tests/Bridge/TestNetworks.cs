using NetPortal.Core.Networks;

namespace NetPortal.Linux.Tests.Bridge;

internal static class TestNetworks
{
    public static Network Make(string id, string subnet = "172.30.0.0/16", string? gateway = "172.30.0.1",
        IReadOnlyDictionary<string, string>? options = null, params IpamPool[] extraPools) =>
        new()
        {
            Id = id,
            Name = "n-" + id[..6],
            Pools = [new IpamPool(subnet, null, gateway, true, gateway is not null, new Dictionary<string, string>()), .. extraPools],
            Options = options ?? new Dictionary<string, string>(),
        };

    public static IpamPool Pool(string subnet, string? gateway) => new(subnet, null, gateway, true, true, new Dictionary<string, string>());

    public static string NewId() => (Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"));
}
