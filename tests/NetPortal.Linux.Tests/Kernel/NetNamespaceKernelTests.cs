using NetPortal.Linux.Namespaces;

namespace NetPortal.Linux.Tests.Kernel;

public sealed class NetNamespaceKernelTests
{
    [KernelFact]
    public void OpenByName_CreatesLikeIpNetnsAdd_AndDeleteRemovesIt()
    {
        var name = "nptest-" + Guid.NewGuid().ToString("N")[..10];
        var ns = NetNamespace.Open(name);
        try
        {
            Assert.True(ns.Owned);
            Assert.Equal("/var/run/netns/" + name, ns.Path);
            Assert.Contains(name, Ip.Must("netns", "list"));
            // iproute2 sees the same namespace: only lo inside, and the bridge we add through it.
            Assert.Equal(["lo"], Ip.Links(name).Select(l => l.GetProperty("ifname").GetString()));
            using (var nl = ns.OpenRouteNetlink()) nl.CreateBridge("nptnsbr", 0);
            Assert.NotNull(Ip.Link(name, "nptnsbr"));
            Assert.Null(Ip.Link(null, "nptnsbr"));
        }
        finally
        {
            ns.Delete();
        }
        Assert.False(File.Exists("/var/run/netns/" + name));
        Assert.DoesNotContain(name, Ip.Must("netns", "list"));
    }

    [KernelFact]
    public void OpenExistingPath_IsNotOwned()
    {
        using var scratch = new ScratchNamespace();
        using var ns = NetNamespace.Open("/var/run/netns/" + scratch.Name);
        Assert.False(ns.Owned);
        Assert.Throws<InvalidOperationException>(ns.Delete);
        Assert.Throws<FileNotFoundException>(() => NetNamespace.Open("/var/run/netns/does-not-exist-np"));
    }

    [KernelFact]
    public void Sysctl_IsPerNamespace_RootUnchanged()
    {
        var rootBefore = File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim();
        using var scratch = new ScratchNamespace();
        var target = rootBefore == "1" ? "0" : "1";
        scratch.Namespace.WriteSysctl("net.ipv4.ip_forward", target);
        Assert.Equal(target, scratch.Namespace.ReadSysctl("net.ipv4.ip_forward"));
        Assert.Equal(target, Ip.Must("netns", "exec", scratch.Name, "cat", "/proc/sys/net/ipv4/ip_forward").Trim());
        Assert.Equal(rootBefore, File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim());
    }

    [KernelFact]
    public void RunProcess_ChildIsBornInTheNamespace()
    {
        using var scratch = new ScratchNamespace();
        var (code, stdout, _) = scratch.Namespace.RunProcess("readlink", ["/proc/self/ns/net"], null);
        Assert.Equal(0, code);
        var expected = Ip.Must("netns", "exec", scratch.Name, "readlink", "/proc/self/ns/net").Trim();
        Assert.Equal(expected, stdout.Trim());
        Assert.NotEqual(new FileInfo("/proc/self/ns/net").LinkTarget, stdout.Trim());

        var (code2, out2, _) = scratch.Namespace.RunProcess("cat", [], "hello stdin");
        Assert.Equal((0, "hello stdin"), (code2, out2));
        Assert.NotEqual(0, scratch.Namespace.RunProcess("sh", ["-c", "echo oops >&2; exit 3"], null).ExitCode);
    }

    [KernelFact]
    public void Run_ExecutesOnTheNamespaceThread()
    {
        using var scratch = new ScratchNamespace();
        var inside = scratch.Namespace.Run(() => File.ResolveLinkTarget("/proc/thread-self/ns/net", false)!.ToString());
        var root = File.ResolveLinkTarget("/proc/thread-self/ns/net", false)!.ToString();
        Assert.NotEqual(root, inside);
        Assert.Throws<DivideByZeroException>(() => scratch.Namespace.Run<int>(() => throw new DivideByZeroException()));
    }
}
