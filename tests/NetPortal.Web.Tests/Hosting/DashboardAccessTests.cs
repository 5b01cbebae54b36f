using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using NetPortal.Web.Hosting;

namespace NetPortal.Web.Tests.Hosting;

public sealed class DashboardAccessTests
{
    private const string ReadToken = "read-token-0123456789", AdminToken = "admin-token-0123456789";

    private static async Task<(int Status, bool Passed, string? Role)> Send(string method, string path, IPAddress? local, string? bearer = null, bool tokens = true, string accept = "application/json")
    {
        var passed = false;
        var o = new DashboardOptions { ReadToken = tokens ? ReadToken : null, AdminToken = tokens ? AdminToken : null };
        var mw = new DashboardAccessMiddleware(_ => { passed = true; return Task.CompletedTask; }, Options.Create(o));
        var ctx = new DefaultHttpContext();
        ctx.Request.Method = method;
        ctx.Request.Path = path;
        ctx.Request.Headers.Accept = accept;
        ctx.Connection.LocalIpAddress = local;
        if (bearer is not null) ctx.Request.Headers.Authorization = "Bearer " + bearer;
        ctx.Response.Body = new MemoryStream();
        await mw.InvokeAsync(ctx);
        return (ctx.Response.StatusCode, passed, ctx.Items[DashboardAccessMiddleware.RoleKey] as string);
    }

    private static readonly IPAddress Public = IPAddress.Parse("192.0.2.10");

    [Fact]
    public async Task Unix_socket_and_loopback_are_open()
    {
        Assert.Equal((200, true, "admin"), await Send("POST", "/networks/create", null));
        Assert.Equal((200, true, "admin"), await Send("POST", "/networks/create", IPAddress.Loopback));
    }

    [Fact]
    public async Task Off_loopback_a_token_is_needed_and_read_allows_get_only()
    {
        Assert.Equal(401, (await Send("GET", "/networks", Public)).Status);
        Assert.Equal((200, true, "read"), await Send("GET", "/netportal/topology", Public, ReadToken));
        Assert.Equal(403, (await Send("POST", "/networks/create", Public, ReadToken)).Status);
        Assert.Equal((200, true, "admin"), await Send("POST", "/networks/create", Public, AdminToken));
        Assert.Equal(401, (await Send("GET", "/networks", Public, "wrong")).Status);
    }

    [Fact]
    public async Task Without_tokens_docker_routes_stay_as_they_were_and_the_dashboard_is_refused()
    {
        Assert.True((await Send("POST", "/networks/create", Public, tokens: false)).Passed);
        Assert.Equal(403, (await Send("GET", "/", Public, tokens: false, accept: "text/html")).Status);
        Assert.Equal(403, (await Send("GET", "/netportal/ipam", Public, tokens: false)).Status);
    }

    [Fact]
    public void Picks_a_local_listener_for_the_in_process_client()
    {
        Assert.Equal("unix:///run/x.sock", DashboardOptions.PickLocalAddress(["tcp://192.0.2.1:2375", "unix:///run/x.sock"]));
        Assert.Equal("tcp://0.0.0.0:2375", DashboardOptions.PickLocalAddress(["tcp://192.0.2.1:2376", "tcp://0.0.0.0:2375"]));
    }
}
