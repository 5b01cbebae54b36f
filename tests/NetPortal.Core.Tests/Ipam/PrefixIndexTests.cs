using NetPortal.Core.Ipam;

namespace NetPortal.Core.Tests.Ipam;

public sealed class PrefixIndexTests
{
    private static Cidr C(string text) => Cidr.Parse(text);

    [Fact]
    public void FindOverlap_SeesContainingEqualAndContainedPrefixes_OfTheSameFamilyOnly()
    {
        var index = PrefixIndex.Of([C("10.0.0.0/8"), C("172.17.0.0/16"), C("192.168.5.0/24"), C("fd00:1::/64")]);

        Assert.Equal(C("10.0.0.0/8"), index.FindOverlap(C("10.1.2.0/24")));          // inside an entry
        Assert.Equal(C("172.17.0.0/16"), index.FindOverlap(C("172.17.0.0/16")));     // equal
        Assert.Equal(C("192.168.5.0/24"), index.FindOverlap(C("192.168.0.0/16")));   // an entry inside it
        Assert.Equal(C("fd00:1::/64"), index.FindOverlap(C("fd00::/16")));
        Assert.Null(index.FindOverlap(C("172.18.0.0/16")));
        Assert.Null(index.FindOverlap(C("192.168.6.0/24")));
        Assert.Null(index.FindOverlap(C("11.0.0.0/8")));
        Assert.Null(index.FindOverlap(C("fd00:2::/64")));
        Assert.Null(index.FindOverlap(C("::a00:0/104")));                            // 10/8's bits, other family
    }

    [Fact]
    public void FindOverlap_PrefersTheWidestContainingPrefix_ThenTheLowestInside()
    {
        var index = PrefixIndex.Of([C("10.1.2.0/24"), C("10.0.0.0/8"), C("10.1.0.0/16")]);
        Assert.Equal(C("10.0.0.0/8"), index.FindOverlap(C("10.1.2.128/25")));

        index = PrefixIndex.Of([C("10.9.0.0/24"), C("10.3.0.0/24"), C("10.5.0.0/24")]);
        Assert.Equal(C("10.3.0.0/24"), index.FindOverlap(C("10.0.0.0/12")));
    }

    [Fact]
    public void AddAndRemove_CountOccurrences_AndLeaveEarlierSnapshotsAlone()
    {
        var empty = PrefixIndex.Empty;
        var once = empty.Add(C("10.1.0.0/16"));
        var twice = once.Add(C("10.1.0.0/16"));
        Assert.Equal(1, twice.Count);

        var afterOneRemove = twice.Remove(C("10.1.0.0/16"));
        Assert.NotNull(afterOneRemove.FindOverlap(C("10.1.1.0/24")));              // still held once
        var gone = afterOneRemove.Remove(C("10.1.0.0/16"));
        Assert.Null(gone.FindOverlap(C("10.1.1.0/24")));
        Assert.Same(gone, gone.Remove(C("10.1.0.0/16")));                            // not held: ignored

        Assert.Null(empty.FindOverlap(C("10.1.0.0/16")));
        Assert.NotNull(twice.FindOverlap(C("10.1.0.0/16")));
    }

    [Fact]
    public void FindOverlap_AgreesWithALinearScan()
    {
        var random = new Random(7);
        var held = new List<Cidr>();
        var index = PrefixIndex.Empty;
        for (var i = 0; i < 300; i++)
        {
            var p = RandomPrefix(random);
            if (random.Next(4) == 0 && held.Count > 0)
            {
                var victim = held[random.Next(held.Count)];
                held.Remove(victim);
                index = index.Remove(victim);
            }
            else
            {
                held.Add(p);
                index = index.Add(p);
            }
            var probe = RandomPrefix(random);
            Assert.Equal(held.Any(h => h.Overlaps(probe)), index.FindOverlap(probe) is not null);
            if (index.FindOverlap(probe) is { } hit) Assert.True(hit.Overlaps(probe) && held.Contains(hit));
        }
    }

    private static Cidr RandomPrefix(Random random)
    {
        if (random.Next(5) == 0)
        {
            var len6 = random.Next(8, 129);
            var v6 = ((UInt128)0xfd00 << 112) | ((UInt128)(ulong)random.NextInt64() << 64 >> random.Next(8, 24));
            return new Cidr(System.Net.Sockets.AddressFamily.InterNetworkV6, v6 & Cidr.MaskOf(128, len6), len6);
        }
        var len = random.Next(8, 33);
        var v4 = (UInt128)(0x0a000000u | (uint)random.Next(0, 1 << 20) << 4);
        return new Cidr(System.Net.Sockets.AddressFamily.InterNetwork, v4 & Cidr.MaskOf(32, len), len);
    }
}
