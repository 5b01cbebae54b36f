namespace NetPortal.Kernel.Tests;

/// <summary>/etc/hosts, /etc/resolv.conf, hostname and link environment as the container's process reads them.</summary>
public sealed class ResolverFileTests(DaemonProcess daemon) : IClassFixture<DaemonProcess>
{
    private string Cat(string name, string file) => daemon.Docker("exec", name, "cat", file).Ok().StdOut;

    [Fact]
    public void UserNetworkContainerHasItsOwnHostsLineAndTheEmbeddedResolver()
    {
        daemon.Docker("network", "create", "--subnet", "10.53.0.0/24", "resolv-net").Ok();
        daemon.Docker("run", "-d", "--name", "rv1", "--network", "resolv-net", "busybox", "sleep", "300").Ok();
        var ip = daemon.KernelIp("rv1");
        var hostname = daemon.Docker("exec", "rv1", "hostname").Ok().StdOut.Trim();
        Assert.Equal(daemon.Inspect("rv1", "{{.Id}}")[..12], hostname);
        var hosts = Cat("rv1", "/etc/hosts").Split('\n');
        Assert.Contains("127.0.0.1\tlocalhost", hosts);
        Assert.Contains($"{ip}\t{hostname}", hosts);
        var resolv = Cat("rv1", "/etc/resolv.conf").Split('\n');
        Assert.Contains("nameserver 127.0.0.11", resolv);
        // The bind mounts are the sandbox's own: the machine's files are untouched.
        Assert.DoesNotContain(ip, File.ReadAllText("/etc/hosts"));
    }

    [Fact]
    public void DefaultBridgeLinkDnsOptionsHostnameAndDomainname()
    {
        daemon.Docker("run", "-d", "--name", "lk1", "busybox", "sleep", "300").Ok();
        daemon.Docker("run", "-d", "--name", "lk2", "--link", "lk1:alias1", "--dns-search", "example.com", "--dns-opt", "ndots:3",
            "--hostname", "myhost", "--domainname", "example.org", "busybox", "sleep", "300").Ok();
        var lk1Ip = daemon.KernelIp("lk1");
        var lk1Short = daemon.Inspect("lk1", "{{.Id}}")[..12];
        Assert.StartsWith("172.17.", lk1Ip);

        var hosts = Cat("lk2", "/etc/hosts").Split('\n');
        Assert.Contains($"{lk1Ip}\talias1 {lk1Short} lk1", hosts);
        Assert.Contains($"{daemon.KernelIp("lk2")}\tmyhost.example.org myhost", hosts);
        var env = daemon.Docker("exec", "lk2", "env").Ok().Lines();
        Assert.Contains("ALIAS1_NAME=/lk2/alias1", env);
        var resolv = Cat("lk2", "/etc/resolv.conf").Split('\n');
        Assert.Contains("search example.com", resolv);
        Assert.Contains("options ndots:3", resolv);

        Assert.Equal("myhost", daemon.Docker("exec", "lk2", "hostname").Ok().StdOut.Trim());
        Assert.Equal("example.org", Cat("lk2", "/proc/sys/kernel/domainname").Trim());
        // The UTS namespace is the sandbox's: the machine keeps its name.
        Assert.NotEqual("myhost", File.ReadAllText("/proc/sys/kernel/hostname").Trim());
    }
}
