using System.Net;
using System.Text.Json.Nodes;
using NetPortal.Api.Tests.Infrastructure;

namespace NetPortal.Api.Tests.Containers;

/// <summary>
/// /containers, /exec, /images and network connect/disconnect through the real pipeline and the real ContainerService,
/// over the fake sandbox runtime and bridge driver.
/// </summary>
public sealed class ContainerRoutesTests
{
    private static string CreateBody(string extra = "") =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "cli-28.2.2-run-publish-expose.json")).Trim();

    private static async Task<string> Create(HttpClient c, string name, string? body = null)
    {
        var r = await c.PostJson($"/v1.50/containers/create?name={name}", body ?? CreateBody());
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Created, $"{(int)r.StatusCode} {text}");
        DockerHttp.AssertJsonContentType(r);
        var id = (string)JsonNode.Parse(text)!["Id"]!;
        Assert.Equal($$$"""{"Id":"{{{id}}}","Warnings":[]}""", text.TrimEnd('\n'));
        return id;
    }

    private static async Task<HttpStatusCode> Post(HttpClient c, string path)
    {
        var r = await c.PostAsync(path, null);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotModified, $"{path}: {(int)r.StatusCode} {body}");
        Assert.Equal("", body);
        return r.StatusCode;
    }

    [Fact]
    public async Task Create_start_list_stop_remove_round_trip()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var id = await Create(c, "c1");

        var inspect = await c.GetJson("/v1.50/containers/c1/json");
        Assert.Equal(id, (string)inspect["Id"]!);
        Assert.Equal("/c1", (string)inspect["Name"]!);
        Assert.Equal("created", (string)inspect["State"]!["Status"]!);
        Assert.Equal("bridge", (string)inspect["HostConfig"]!["NetworkMode"]!);
        Assert.Equal(["bridge"], inspect["NetworkSettings"]!["Networks"]!.AsObject().Select(p => p.Key));

        Assert.Equal(HttpStatusCode.NoContent, await Post(c, "/v1.50/containers/c1/start"));
        Assert.Equal(HttpStatusCode.NotModified, await Post(c, "/v1.50/containers/c1/start"));
        var running = await c.GetJson($"/v1.50/containers/{id[..12]}/json");
        Assert.True((bool)running["State"]!["Running"]!);
        Assert.NotEqual("", (string)running["NetworkSettings"]!["Networks"]!["bridge"]!["IPAddress"]!);
        Assert.Equal("""[{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"::","HostPort":"8080"}]""", running["NetworkSettings"]!["Ports"]!["80/tcp"]!.ToJsonString());

        var list = (await c.GetJson("/v1.50/containers/json")).AsArray();
        var item = Assert.Single(list);
        Assert.Equal("""["/c1"]""", item!["Names"]!.ToJsonString());
        Assert.Equal("running", (string)item["State"]!);
        Assert.StartsWith("Up ", (string)item["Status"]!);

        Assert.Equal(HttpStatusCode.NoContent, await Post(c, "/v1.50/containers/c1/stop?t=1"));
        Assert.Equal(HttpStatusCode.NotModified, await Post(c, "/v1.50/containers/c1/stop"));
        Assert.Empty((await c.GetJson("/v1.50/containers/json")).AsArray());
        Assert.Single((await c.GetJson("/v1.50/containers/json?all=1")).AsArray());

        var r = await c.DeleteAsync("/v1.50/containers/c1");
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        await DockerHttp.AssertError(await c.GetAsync("/v1.50/containers/c1/json"), HttpStatusCode.NotFound, "No such container: c1");
    }

    [Fact]
    public async Task Invalid_name_is_400()
    {
        using var api = new NetPortalApiFactory();
        var r = await api.CreateClient().PostJson("/v1.50/containers/create?name=-x", CreateBody());
        await DockerHttp.AssertError(r, HttpStatusCode.BadRequest, "Invalid container name (-x), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }

    [Fact]
    public async Task Unknown_container_is_404_on_every_route()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        await DockerHttp.AssertError(await c.GetAsync("/containers/nope/json"), HttpStatusCode.NotFound, "No such container: nope");
        await DockerHttp.AssertError(await c.PostAsync("/containers/nope/start", null), HttpStatusCode.NotFound, "No such container: nope");
        await DockerHttp.AssertError(await c.PostAsync("/containers/nope/wait", null), HttpStatusCode.NotFound, "No such container: nope");
        await DockerHttp.AssertError(await c.DeleteAsync("/containers/nope"), HttpStatusCode.NotFound, "No such container: nope");
        await DockerHttp.AssertError(await c.PostJson("/containers/nope/exec", """{"Cmd":["true"]}"""), HttpStatusCode.NotFound, "No such container: nope");
        await DockerHttp.AssertError(await c.GetAsync("/exec/nope/json"), HttpStatusCode.NotFound, "No such exec instance: nope");
    }

    [Fact]
    public async Task Wait_answers_the_exit_code()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        await Create(c, "w1");
        await Post(c, "/containers/w1/start");
        var wait = c.PostAsync("/v1.50/containers/w1/wait?condition=not-running", null);
        await Task.Delay(200);
        Assert.False(wait.IsCompleted);
        api.Runtime.Exit(3);
        var r = await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        DockerHttp.AssertJsonContentType(r);
        Assert.Equal("""{"StatusCode":3}""", (await r.Content.ReadAsStringAsync()).TrimEnd('\n'));

        await DockerHttp.AssertError(await c.PostAsync("/containers/w1/wait?condition=bogus", null), HttpStatusCode.BadRequest, "invalid condition: \"bogus\"");
    }

    [Fact]
    public async Task Connect_and_disconnect_answer_200_with_an_empty_body()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        await c.CreateNetwork("""{"Name":"foo","IPAM":{"Config":[{"Subnet":"10.9.0.0/24"}]}}""");
        await Create(c, "n1");
        await Post(c, "/containers/n1/start");

        var r = await c.PostJson("/v1.50/networks/foo/connect", """{"Container":"n1","EndpointConfig":{"IPAMConfig":{"IPv4Address":"10.9.0.5"},"Aliases":["web"]}}""");
        Assert.True(r.StatusCode == HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
        Assert.Equal(0, r.Content.Headers.ContentLength);
        Assert.Equal("", await r.Content.ReadAsStringAsync());

        var foo = (await c.GetJson("/containers/n1/json"))["NetworkSettings"]!["Networks"]!["foo"]!;
        Assert.Equal("10.9.0.5", (string)foo["IPAddress"]!);
        Assert.Equal("""["web"]""", foo["Aliases"]!.ToJsonString());
        Assert.Equal("""["n1","web",""" + $"\"{((string)(await c.GetJson("/containers/n1/json"))["Id"]!)[..12]}\"]", foo["DNSNames"]!.ToJsonString());

        r = await c.PostJson("/v1.50/networks/foo/disconnect", """{"Container":"n1","Force":false}""");
        Assert.True(r.StatusCode == HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
        Assert.Equal(0, r.Content.Headers.ContentLength);
        Assert.Null((await c.GetJson("/containers/n1/json"))["NetworkSettings"]!["Networks"]!["foo"]);

        await DockerHttp.AssertError(await c.PostJson("/networks/foo/connect", """{"Container":"nope"}"""), HttpStatusCode.NotFound, "No such container: nope");
    }

    [Fact]
    public async Task Exec_without_upgrade_streams_frames_in_the_body_and_inspect_reports_the_exit_code()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        await Create(c, "e1");
        await Post(c, "/containers/e1/start");
        api.Runtime.ExecScript = async (_, p) =>
        {
            await p.WriteStdout("hi\n");
            await p.WriteStderr("oops\n");
            p.Exit(3);
        };
        var r = await c.PostJson("/v1.50/containers/e1/exec", """{"AttachStdout":true,"AttachStderr":true,"Cmd":["sh","-c","echo hi"]}""");
        var created = await r.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var execId = (string)JsonNode.Parse(created)!["Id"]!;
        Assert.Equal($$$"""{"Id":"{{{execId}}}"}""", created.TrimEnd('\n'));

        var before = await c.GetJson($"/exec/{execId}/json");
        Assert.Equal(["ID", "Running", "ExitCode", "ProcessConfig", "OpenStdin", "OpenStderr", "OpenStdout", "CanRemove", "ContainerID", "DetachKeys", "Pid"], before.AsObject().Select(p => p.Key));
        Assert.Null(before["ExitCode"]);
        Assert.Equal("""{"tty":false,"entrypoint":"sh","arguments":["-c","echo hi"],"privileged":false}""", before["ProcessConfig"]!.ToJsonString());

        r = await c.PostJson($"/v1.50/exec/{execId}/start", """{"Detach":false,"Tty":false}""");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/vnd.docker.raw-stream", r.Content.Headers.ContentType?.ToString());
        var frames = ExecHijackTests.Frames(await r.Content.ReadAsByteArrayAsync());
        Assert.Equal("hi\n", string.Concat(frames.Where(f => f.Stream == 1).Select(f => f.Text)));
        Assert.Equal("oops\n", string.Concat(frames.Where(f => f.Stream == 2).Select(f => f.Text)));

        var after = await ExecHijackTests.WaitForExit(c, execId);
        Assert.Equal(3, (int)after["ExitCode"]!);
        Assert.False((bool)after["Running"]!);
    }

    [Fact]
    public async Task Images_pull_answers_up_to_date_and_inspect_knows_only_used_images()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var r = await c.PostAsync("/v1.50/images/create?fromImage=busybox&tag=latest", null);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        DockerHttp.AssertJsonContentType(r);
        Assert.Equal("""{"status":"Status: Image is up to date for busybox:latest"}""", (await r.Content.ReadAsStringAsync()).TrimEnd('\n'));

        await DockerHttp.AssertError(await c.GetAsync("/v1.50/images/foo/json"), HttpStatusCode.NotFound, "No such image: foo");
        await Create(c, "i1");
        var image = await c.GetJson("/v1.50/images/docker.io/library/busybox:latest/json");
        Assert.Equal("""["busybox:latest"]""", image["RepoTags"]!.ToJsonString());
        Assert.Equal((string)(await c.GetJson("/containers/i1/json"))["Image"]!, (string)image["Id"]!);
    }

    [Fact]
    public async Task Container_events_are_filtered_by_container()
    {
        using var api = new NetPortalApiFactory();
        var c = api.CreateClient();
        var since = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        var id = await Create(c, "ev1");
        await Create(c, "ev2");
        await Post(c, "/containers/ev1/start");
        var until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds();
        var filters = Uri.EscapeDataString("""{"type":["container"],"container":["ev1"]}""");
        var body = await c.GetStringAsync($"/v1.50/events?since={since}&until={until}&filters={filters}");
        var events = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Contains("create", events.Select(e => (string)e["Action"]!));
        Assert.Contains("start", events.Select(e => (string)e["Action"]!));
        foreach (var e in events)
        {
            Assert.Equal(["status", "id", "from", "Type", "Action", "Actor", "scope", "time", "timeNano"], e.Select(p => p.Key));
            Assert.Equal(id, (string)e["Actor"]!["ID"]!);
            Assert.Equal("ev1", (string)e["Actor"]!["Attributes"]!["name"]!);
            Assert.Equal("busybox", (string)e["Actor"]!["Attributes"]!["image"]!);
            Assert.Equal("busybox", (string)e["from"]!);
        }
    }
}
