using System.Net;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;
using NetPortal.Linux.Tests.Fakes;

namespace NetPortal.Linux.Tests.Kernel;

/// <summary>The same expectations against the fake and the kernel, so the fake cannot drift from real errnos.</summary>
public abstract class RouteNetlinkContract
{
    protected abstract IRouteNetlink Netlink { get; }

    protected void Check()
    {
        var nl = Netlink;
        Assert.Null(nl.GetLink("npcbr"));
        nl.CreateBridge("npcbr", 1400);
        Assert.Equal(Errno.EEXIST, Assert.Throws<NetlinkException>(() => nl.CreateBridge("npcbr", 0)).Errno);
        var link = nl.GetLink("npcbr")!;
        Assert.Equal(("bridge", 1400, false), (link.Kind, link.Mtu, link.Up));
        nl.SetUp("npcbr");
        Assert.True(nl.GetLink("npcbr")!.Up);
        nl.AddAddress("npcbr", IPAddress.Parse("10.66.0.1"), 24);
        Assert.Equal(Errno.EEXIST, Assert.Throws<NetlinkException>(() => nl.AddAddress("npcbr", IPAddress.Parse("10.66.0.1"), 24)).Errno);
        Assert.Contains(nl.DumpAddresses(), a => a.LinkIndex == link.Index && a.Address.Equals(IPAddress.Parse("10.66.0.1")));
        nl.DeleteAddress("npcbr", IPAddress.Parse("10.66.0.1"), 24);
        Assert.Equal(Errno.EADDRNOTAVAIL, Assert.Throws<NetlinkException>(() => nl.DeleteAddress("npcbr", IPAddress.Parse("10.66.0.1"), 24)).Errno);
        nl.DeleteLink("npcbr");
        Assert.Equal(Errno.ENODEV, Assert.Throws<NetlinkException>(() => nl.DeleteLink("npcbr")).Errno);
        Assert.Equal(Errno.ENODEV, Assert.Throws<NetlinkException>(() => nl.SetUp("npcbr")).Errno);
        Assert.Contains(nl.DumpLinks(), l => l.Name == "lo");
    }
}

public sealed class FakeRouteNetlinkContractTests : RouteNetlinkContract
{
    protected override IRouteNetlink Netlink { get; } = new FakeRouteNetlink();

    [Fact]
    public void Contract() => Check();
}

public sealed class KernelRouteNetlinkContractTests : RouteNetlinkContract, IDisposable
{
    private readonly ScratchNamespace _ns = new();
    private readonly RouteNetlink _nl;

    public KernelRouteNetlinkContractTests() => _nl = _ns.Namespace.OpenRouteNetlink();

    protected override IRouteNetlink Netlink => _nl;

    [KernelFact]
    public void Contract() => Check();

    public void Dispose()
    {
        _nl.Dispose();
        _ns.Dispose();
    }
}
