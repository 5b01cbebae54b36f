using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NetPortal.Web.Hosting;
using NetPortal.Web.Services;
using NetPortal.Web.Services.Models;
using NetPortal.Web.Tests.Fakes;

namespace NetPortal.Web.Tests.Hosting;

/// <summary>The read-only role enforced where changes leave the dashboard: in the API client, not only in the pages.</summary>
public sealed class AccessCheckedApiClientTests
{
    [Fact]
    public async Task A_read_only_circuit_cannot_change_anything_but_reads_everything()
    {
        var fake = new FakeApiClient();
        fake.Networks.Add(new NetworkSummary("web", "abc", null, "local", "bridge", false, null, false, false, null, null, null));
        var client = new AccessCheckedApiClient(fake, new DashboardSession { CanWrite = false });

        var create = await Assert.ThrowsAsync<ApiException>(() => client.CreateNetworkAsync(new NetworkCreateSpec { Name = "x" }));
        Assert.Equal(HttpStatusCode.Forbidden, create.Status);
        Assert.Equal("read-only dashboard: cannot create networks", create.Message);
        await Assert.ThrowsAsync<ApiException>(() => client.DeleteNetworkAsync("web"));
        await Assert.ThrowsAsync<ApiException>(() => client.ConnectAsync("web", "c1"));
        await Assert.ThrowsAsync<ApiException>(() => client.DisconnectAsync("web", "c1", force: false));
        Assert.Empty(fake.Created);
        Assert.Empty(fake.Connected);
        Assert.Single(fake.Networks);

        Assert.Equal("web", Assert.Single(await client.GetNetworksAsync()).Name);
    }

    [Fact]
    public async Task A_writing_circuit_passes_changes_through()
    {
        var fake = new FakeApiClient();
        var client = new AccessCheckedApiClient(fake, new DashboardSession());

        await client.CreateNetworkAsync(new NetworkCreateSpec { Name = "x" });

        Assert.Equal("x", Assert.Single(fake.Created).Name);
    }

    [Fact]
    public void Pages_get_the_checked_client_with_one_session_per_circuit()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddNetPortalDashboard(o => o.ApiAddress = "http://127.0.0.1:1");
        using var provider = services.BuildServiceProvider();
        using var circuitA = provider.CreateScope();
        using var circuitB = provider.CreateScope();

        Assert.IsType<AccessCheckedApiClient>(circuitA.ServiceProvider.GetRequiredService<INetPortalApiClient>());
        circuitA.ServiceProvider.GetRequiredService<DashboardSession>().CanWrite = false;
        Assert.True(circuitB.ServiceProvider.GetRequiredService<DashboardSession>().CanWrite);
    }
}
