using NetPortal.Core.Networks;

namespace NetPortal.Data.Tests;

/// <summary>Field-by-field equality; the records' own Equals compares the dictionaries by reference.</summary>
internal static class NetworkAssert
{
    public static void Same(Network expected, Network actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Driver, actual.Driver);
        Assert.Equal(expected.Scope, actual.Scope);
        Assert.Equal(expected.Created.Ticks, actual.Created.Ticks);
        Assert.Equal(expected.Created.Offset, actual.Created.Offset);
        Assert.Equal(expected.EnableIPv4, actual.EnableIPv4);
        Assert.Equal(expected.EnableIPv6, actual.EnableIPv6);
        Assert.Equal(expected.Internal, actual.Internal);
        Assert.Equal(expected.Attachable, actual.Attachable);
        Assert.Equal(expected.Ingress, actual.Ingress);
        Assert.Equal(expected.ConfigOnly, actual.ConfigOnly);
        Assert.Equal(expected.ConfigFrom, actual.ConfigFrom);
        Assert.Equal(expected.IpamDriver, actual.IpamDriver);
        if (expected.IpamOptions is null)
        {
            Assert.Null(actual.IpamOptions);
        }
        else
        {
            Assert.NotNull(actual.IpamOptions);
            SameMap(expected.IpamOptions, actual.IpamOptions);
        }
        SameMap(expected.Options, actual.Options);
        SameMap(expected.Labels, actual.Labels);

        Assert.Equal(expected.Pools.Count, actual.Pools.Count);
        for (var i = 0; i < expected.Pools.Count; i++)
        {
            var e = expected.Pools[i];
            var a = actual.Pools[i];
            Assert.Equal(e.Subnet, a.Subnet);
            Assert.Equal(e.IPRange, a.IPRange);
            Assert.Equal(e.Gateway, a.Gateway);
            Assert.Equal(e.SubnetRequested, a.SubnetRequested);
            Assert.Equal(e.GatewayRequested, a.GatewayRequested);
            Assert.Equal(e.IsIPv6, a.IsIPv6);
            SameMap(e.AuxiliaryAddresses, a.AuxiliaryAddresses);
        }
    }

    /// <summary>Same pairs in the same order as written.</summary>
    private static void SameMap(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual) =>
        Assert.Equal(expected.ToList(), actual.ToList());
}
