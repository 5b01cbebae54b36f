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

    /// <summary>Retiring a bridge: a rename takes the group along, and a whole group is deleted in one call.</summary>
    protected void CheckRenameAndGroupDelete()
    {
        const uint group = 0x4e50;
        var nl = Netlink;
        nl.CreateBridge("npcg1", 0);
        nl.CreateBridge("npcg2", 0);
        nl.CreateBridge("npcg3", 0);
        // Kernels before 6.2 refuse to rename a link that is up (EBUSY; later ones allow it), so retiring sets it down first.
        nl.SetUp("npcg1");
        nl.SetDown("npcg1");
        Assert.False(nl.GetLink("npcg1")!.Up);
        Assert.Equal(Errno.EEXIST, Assert.Throws<NetlinkException>(() => nl.SetLinkName("npcg1", "npcg2", group)).Errno);
        nl.SetLinkName("npcg1", "npdel-00000001", group);
        nl.SetLinkName("npcg2", "npdel-00000002", group);
        Assert.Null(nl.GetLink("npcg1"));
        Assert.Equal(group, nl.GetLink("npdel-00000001")!.Group);
        Assert.Equal(0u, nl.GetLink("npcg3")!.Group);
        Assert.Equal(Errno.ENODEV, Assert.Throws<NetlinkException>(() => nl.SetLinkName("npcg1", "npdel-00000003", group)).Errno);
        Assert.Equal(Errno.EPERM, Assert.Throws<NetlinkException>(() => nl.DeleteLinkGroup(0)).Errno);

        nl.DeleteLinkGroup(group);

        Assert.Equal(["lo", "npcg3"], nl.DumpLinks().Select(l => l.Name).Order(StringComparer.Ordinal));
        Assert.Equal(Errno.ENODEV, Assert.Throws<NetlinkException>(() => nl.DeleteLinkGroup(group)).Errno);
        nl.DeleteLink("npcg3");
    }
}

public sealed class FakeRouteNetlinkContractTests : RouteNetlinkContract
{
    protected override IRouteNetlink Netlink { get; } = new FakeRouteNetlink();

    [Fact]
    public void Contract() => Check();

    [Fact]
    public void RenameAndGroupDelete() => CheckRenameAndGroupDelete();
}

public sealed class KernelRouteNetlinkContractTests : RouteNetlinkContract, IDisposable
{
    private readonly ScratchNamespace _ns = new();
    private readonly RouteNetlink _nl;

    public KernelRouteNetlinkContractTests() => _nl = _ns.Namespace.OpenRouteNetlink();

    protected override IRouteNetlink Netlink => _nl;

    [KernelFact]
    public void Contract() => Check();

    [KernelFact]
    public void RenameAndGroupDelete() => CheckRenameAndGroupDelete();

    public void Dispose()
    {
        _nl.Dispose();
        _ns.Dispose();
    }
}
