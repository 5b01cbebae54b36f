using Docker.DotNet;
using Docker.DotNet.Models;

namespace NetPortal.Kernel.Tests;

/// <summary>Docker.DotNet (unversioned paths, no negotiation) manages networks through the daemon's unix socket.</summary>
public sealed class DockerDotNetTests(DaemonProcess daemon) : IClassFixture<DaemonProcess>
{
    private DockerClient Client() => new DockerClientConfiguration(new Uri(daemon.DockerHost)).CreateClient();

    [Fact]
    public async Task CreateListInspectDeletePrune()
    {
        using var client = Client();
        await client.System.PingAsync();
        var version = await client.System.GetVersionAsync();
        Assert.Equal("1.50", version.APIVersion);

        var created = await client.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = "dn-net",
            Driver = "bridge",
            Labels = new Dictionary<string, string> { ["from"] = "dotnet" },
            IPAM = new IPAM { Config = [new IPAMConfig { Subnet = "10.40.0.0/24", Gateway = "10.40.0.1", IPRange = "10.40.0.128/25" }] },
        });
        Assert.Matches("^[0-9a-f]{64}$", created.ID);

        var listed = await client.Networks.ListNetworksAsync(new NetworksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { ["from=dotnet"] = true } },
        });
        Assert.Equal("dn-net", Assert.Single(listed).Name);

        var inspected = await client.Networks.InspectNetworkAsync("dn-net");
        Assert.Equal(created.ID, inspected.ID);
        var cfg = Assert.Single(inspected.IPAM.Config);
        Assert.Equal(("10.40.0.0/24", "10.40.0.1", "10.40.0.128/25"), (cfg.Subnet, cfg.Gateway, cfg.IPRange));
        Assert.NotNull(daemon.IpJson("link", "show", "dev", "br-" + created.ID[..12]).EnumerateArray().SingleOrDefault().GetProperty("ifname").GetString());

        await Assert.ThrowsAsync<DockerNetworkNotFoundException>(() => client.Networks.InspectNetworkAsync("dn-missing"));
        var conflict = await Assert.ThrowsAsync<DockerApiException>(() => client.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = "dn-net" }));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("network with name dn-net already exists", conflict.ResponseBody);

        await client.Networks.DeleteNetworkAsync(created.ID);
        await Assert.ThrowsAsync<DockerNetworkNotFoundException>(() => client.Networks.InspectNetworkAsync(created.ID));

        await client.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = "dn-prune" });
        var pruned = await client.Networks.PruneNetworksAsync();
        Assert.Equal(["dn-prune"], pruned.NetworksDeleted);
    }
}
