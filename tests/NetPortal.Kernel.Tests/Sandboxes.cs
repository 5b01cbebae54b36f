using System.Text.Json;

namespace NetPortal.Kernel.Tests;

/// <summary>Reads a container's sandbox from the kernel: its namespace file, links and addresses, and the host side of its veths.</summary>
public static class Sandboxes
{
    public sealed record Link(int Index, string Name, int PeerIndex, List<string> IPv4);

    /// <summary>`docker inspect -f TEMPLATE NAME`, trimmed.</summary>
    public static string Inspect(this DaemonProcess d, string name, string template) =>
        d.Docker("inspect", "-f", template, name).Ok().StdOut.Trim();

    public static string SandboxKey(this DaemonProcess d, string name) => d.Inspect(name, "{{.NetworkSettings.SandboxKey}}");

    public static int Pid(this DaemonProcess d, string name) => int.Parse(d.Inspect(name, "{{.State.Pid}}"));

    /// <summary>`nsenter --net=NSFILE ip -j addr`: the links of a network namespace as the kernel sees them.</summary>
    public static List<Link> LinksIn(string netnsFile) =>
        Parse(Shell.Run("nsenter", [$"--net={netnsFile}", "ip", "-j", "addr"]).Ok().StdOut);

    /// <summary>`docker exec NAME ip -j addr`: what the container's own process sees.</summary>
    public static List<Link> LinksSeenBy(this DaemonProcess d, string name) =>
        Parse(d.Docker("exec", name, "ip", "-j", "addr").Ok().StdOut);

    public static List<Link> Parse(string json) =>
        JsonDocument.Parse(json.Length > 0 ? json : "[]").RootElement.EnumerateArray().Select(l => new Link(
            l.GetProperty("ifindex").GetInt32(),
            l.GetProperty("ifname").GetString()!,
            l.TryGetProperty("link_index", out var peer) ? peer.GetInt32() : 0,
            l.TryGetProperty("addr_info", out var ai)
                ? ai.EnumerateArray().Where(a => a.GetProperty("family").GetString() == "inet").Select(a => a.GetProperty("local").GetString()!).ToList()
                : [])).ToList();

    /// <summary>The IPv4 address of eth0 (or another interface) inside the container's network namespace.</summary>
    public static string KernelIp(this DaemonProcess d, string name, string ifname = "eth0") =>
        LinksIn(d.SandboxKey(name)).Single(l => l.Name == ifname).IPv4.Single();

    /// <summary>veth links of the managed namespace: index to name.</summary>
    public static Dictionary<int, string> Veths(this DaemonProcess d) =>
        d.IpJson("link", "show", "type", "veth").EnumerateArray()
            .ToDictionary(l => l.GetProperty("ifindex").GetInt32(), l => l.GetProperty("ifname").GetString()!);

    /// <summary>The host-side veth (in the managed namespace) of a sandbox interface, through the peer index the kernel reports.</summary>
    public static string HostVethOf(this DaemonProcess d, string name, string ifname = "eth0")
    {
        var inside = LinksIn(d.SandboxKey(name)).Single(l => l.Name == ifname);
        Assert.True(d.Veths().TryGetValue(inside.PeerIndex, out var host), $"no veth with index {inside.PeerIndex} in {d.Netns}");
        return host!;
    }

    /// <summary>ping once from inside a container (the host's iputils ping runs in the sandbox's namespaces).</summary>
    public static int Ping(this DaemonProcess d, string from, string ip) =>
        d.Docker("exec", from, "ping", "-c1", "-W2", ip).ExitCode;

    /// <summary>/proc/self/mountinfo lines mentioning text (the test runs in the daemon's mount namespace).</summary>
    public static List<string> MountsMentioning(string text) =>
        File.ReadAllLines("/proc/self/mountinfo").Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();

    /// <summary>Polls until the condition holds or the deadline passes; returns the last result.</summary>
    public static bool Eventually(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            if (condition()) return true;
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(50);
        }
    }

    public static string[] Lines(this Shell.Result r) => r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
