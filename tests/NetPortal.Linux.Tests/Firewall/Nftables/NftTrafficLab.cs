namespace NetPortal.Linux.Tests.Firewall.Nftables;

/// <summary>
/// Bridges, "container" namespaces and an "outside" namespace built with ip commands around a managed
/// namespace, for ping tests of the firewall. The outside (10.201.9.2) has no route back to container
/// subnets, so its replies reach a container only through masquerade. Every namespace is nptest-nft-*.
/// </summary>
internal sealed class NftTrafficLab : IDisposable
{
    public const string Outside = "10.201.9.2";

    private readonly List<string> _namespaces = [];

    public NftTrafficLab()
    {
        Managed = new NftNamespace();
        Sh(Managed.Name, "sysctl -qw net.ipv4.ip_forward=1");

        // icc=false is enforced on bridged frames only with br_netfilter handing them to the forward hook.
        Sh(Managed.Name, "sysctl -qw net.bridge.bridge-nf-call-iptables=1");
        Sh(Managed.Name, "ip link set lo up");

        OutsideNs = AddNamespace();
        Ip("-n", Managed.Name, "link", "add", "up0", "type", "veth", "peer", "name", "eth0", "netns", OutsideNs);
        Ip("-n", Managed.Name, "addr", "add", "10.201.9.1/24", "dev", "up0");
        Ip("-n", Managed.Name, "link", "set", "up0", "up");
        Ip("-n", OutsideNs, "addr", "add", Outside + "/24", "dev", "eth0");
        Ip("-n", OutsideNs, "link", "set", "eth0", "up");
        Ip("-n", OutsideNs, "link", "set", "lo", "up");
    }

    public NftNamespace Managed { get; }

    public string OutsideNs { get; }

    /// <summary>A bridge in the managed namespace with gateway 10.201.N.1/24.</summary>
    public void Bridge(string name, int n)
    {
        Ip("-n", Managed.Name, "link", "add", name, "type", "bridge");
        Ip("-n", Managed.Name, "addr", "add", $"10.201.{n}.1/24", "dev", name);
        Ip("-n", Managed.Name, "link", "set", name, "up");
    }

    /// <summary>A container namespace on bridge 10.201.N.0/24 with address .host; returns the namespace name.</summary>
    public string Container(string bridge, int n, int host)
    {
        var ns = AddNamespace();
        var veth = $"v{n}x{host}";
        Ip("-n", Managed.Name, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Ip("-n", Managed.Name, "link", "set", veth, "master", bridge, "up");
        Ip("-n", ns, "addr", "add", $"10.201.{n}.{host}/24", "dev", "eth0");
        Ip("-n", ns, "link", "set", "eth0", "up");
        Ip("-n", ns, "link", "set", "lo", "up");
        Ip("-n", ns, "route", "add", "default", "via", $"10.201.{n}.1");
        return ns;
    }

    /// <summary>One ping with a 1 s deadline; true when a reply came back.</summary>
    public static bool Ping(string fromNs, string address) =>
        NftNamespace.Exec("ip", ["netns", "exec", fromNs, "ping", "-c", "1", "-W", "1", "-q", address], null).ExitCode == 0;

    public static void Sh(string ns, string command) =>
        NftNamespace.Exec("ip", ["netns", "exec", ns, "sh", "-c", command], null).EnsureSuccess(command);

    public static void Ip(params string[] args) => NftNamespace.Exec("ip", args, null).EnsureSuccess("ip " + string.Join(' ', args));

    public void Dispose()
    {
        foreach (var ns in _namespaces)
        {
            NftNamespace.Exec("ip", ["netns", "del", ns], null);
        }

        Managed.Dispose();
    }

    private string AddNamespace()
    {
        var name = NftNamespace.NewName();
        Ip("netns", "add", name);
        _namespaces.Add(name);
        return name;
    }
}
