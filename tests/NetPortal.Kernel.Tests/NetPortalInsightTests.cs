using System.Text.Json;

namespace NetPortal.Kernel.Tests;

/// <summary>/netportal reachability, firewall and drift against a real daemon and its managed namespace.</summary>
public sealed class NetPortalInsightTests(DaemonProcess daemon) : IClassFixture<DaemonProcess>
{
    private JsonElement Get(string path) => Call("GET", path);

    private JsonElement Call(string method, string path)
    {
        var r = Shell.Run("curl", ["-sS", "-X", method, "--unix-socket", daemon.Socket, "http://d" + path]).Ok();
        return JsonDocument.Parse(r.StdOut).RootElement;
    }

    private static JsonElement Decisive(JsonElement r) =>
        Assert.Single(r.GetProperty("Steps").EnumerateArray(), s => s.GetProperty("Decides").GetBoolean());

    [Fact]
    public void ReachabilityFirewallAndDriftFollowTheKernel()
    {
        var idA = daemon.Docker("network", "create", "--subnet", "10.61.1.0/24", "insa").Ok().StdOut.Trim();
        var idB = daemon.Docker("network", "create", "--subnet", "10.61.2.0/24", "insb").Ok().StdOut.Trim();
        var (brA, brB) = ("br-" + idA[..12], "br-" + idB[..12]);
        try
        {
            daemon.Docker("run", "-d", "--name", "insx", "--network", "insa", "busybox", "sleep", "300").Ok();
            daemon.Docker("run", "-d", "--name", "insy", "--network", "insb", "busybox", "sleep", "300").Ok();

            var blocked = Get("/netportal/reachability?from=insx&to=insy");
            Assert.Equal("blocked", blocked.GetProperty("Verdict").GetString());
            var d = Decisive(blocked);
            Assert.StartsWith("DOCKER-ISOLATION", d.GetProperty("Chain").GetString());
            Assert.Equal($"-A DOCKER-ISOLATION-STAGE-2 -o {brB} -j DROP", d.GetProperty("Text").GetString());
            // The route step comes from the sandbox's own table.
            Assert.Contains("default route", blocked.GetProperty("Steps")[0].GetProperty("Text").GetString());

            daemon.Docker("network", "connect", "insb", "insx").Ok();
            var allowed = Get("/netportal/reachability?from=insx&to=insy");
            Assert.Equal("allowed", allowed.GetProperty("Verdict").GetString());
            Assert.Equal($"-A FORWARD -i {brB} -o {brB} -j ACCEPT", Decisive(allowed).GetProperty("Text").GetString());

            var firewall = Get("/netportal/firewall?network=insa");
            Assert.Equal("iptables", firewall.GetProperty("Backend").GetString());
            var rules = firewall.GetProperty("Tables").EnumerateArray()
                .SelectMany(t => t.GetProperty("Chains").EnumerateArray()).SelectMany(c => c.GetProperty("Rules").EnumerateArray()).ToList();
            Assert.Contains(rules, r => r.GetProperty("Text").GetString() == $"-A FORWARD -o {brA} -j DOCKER");
            Assert.All(rules, r => Assert.Equal(("network", "insa"), (r.GetProperty("Owner").GetProperty("Kind").GetString(), r.GetProperty("Owner").GetProperty("Name").GetString())));

            Assert.DoesNotContain(Get("/netportal/drift").GetProperty("Items").EnumerateArray(), i => i.GetProperty("Subject").GetString() == "network insa");

            // A bridge deleted by hand: drift lists it, repair recreates it with its address.
            daemon.Docker("stop", "-t", "0", "insx").Ok();
            Shell.Run("ip", ["-n", daemon.Netns, "link", "del", brA]).Ok();
            var items = Get("/netportal/drift").GetProperty("Items").EnumerateArray().ToList();
            var missing = Assert.Single(items, i => i.GetProperty("Kind").GetString() == "missing-bridge");
            Assert.Equal("network insa", missing.GetProperty("Subject").GetString());
            Assert.Equal($"bridge {brA} with 10.61.1.1/24", missing.GetProperty("Expected").GetString());

            var changes = Call("POST", "/netportal/drift/repair").GetProperty("Changes").EnumerateArray().Select(c => c.GetString()).ToList();
            Assert.Contains(changes, c => c!.Contains(brA, StringComparison.Ordinal));
            var link = daemon.IpJson("addr", "show", "dev", brA);
            Assert.Contains("10.61.1.1", link.ToString());
            Assert.DoesNotContain(Get("/netportal/drift").GetProperty("Items").EnumerateArray(), i => i.GetProperty("Kind").GetString() == "missing-bridge");
        }
        finally
        {
            daemon.Docker("rm", "-f", "insx", "insy");
            daemon.Docker("network", "rm", "insa", "insb");
        }
    }
}
