using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using NetPortal.Api.Tests.Infrastructure;

namespace NetPortal.Api.Tests.Containers;

/// <summary>
/// docker exec's hijack on a real Kestrel listener with UpgradeBodyFix, driven by a raw socket exactly as the Go client
/// does it: a 29-byte body with Connection: Upgrade, then a half-close.
/// </summary>
public sealed class ExecHijackTests
{
    private const string StartBody = "{\"Detach\":false,\"Tty\":false}\n";

    public static List<(byte Stream, string Text)> Frames(byte[] data)
    {
        var frames = new List<(byte, string)>();
        for (var i = 0; i + 8 <= data.Length;)
        {
            var len = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(i + 4, 4));
            Assert.Equal(0, data[i + 1] | data[i + 2] | data[i + 3]);
            frames.Add((data[i], Encoding.UTF8.GetString(data, i + 8, len)));
            i += 8 + len;
        }
        return frames;
    }

    public static async Task<JsonNode> WaitForExit(HttpClient c, string execId)
    {
        for (var i = 0; ; i++)
        {
            var node = await c.GetJson($"/exec/{execId}/json");
            if (node["ExitCode"] is not null || i > 50) return node;
            await Task.Delay(100);
        }
    }

    private static async Task<(HttpClient Client, string ExecId)> Prepare(NetPortalApiFactory api, string execBody)
    {
        var c = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api.Port}") };
        var body = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "cli-28.2.2-run-publish-expose.json")).Trim();
        var r = await c.PostJson("/v1.50/containers/create?name=h1", body);
        Assert.True(r.StatusCode == HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
        r = await c.PostAsync("/v1.50/containers/h1/start", null);
        Assert.True(r.StatusCode == HttpStatusCode.NoContent, await r.Content.ReadAsStringAsync());
        r = await c.PostJson("/v1.50/containers/h1/exec", execBody);
        Assert.True(r.StatusCode == HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
        return (c, (string)JsonNode.Parse(await r.Content.ReadAsStringAsync())!["Id"]!);
    }

    /// <summary>
    /// Sends the start request (plus <paramref name="stdin"/>), half-closes (at once, or after the response head as the
    /// docker CLI does), reads to EOF; returns head and payload.
    /// </summary>
    private static async Task<(string Head, byte[] Payload)> Hijack(int port, string execId, string stdin = "", bool halfCloseAfterHead = false)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(IPAddress.Loopback, port);
        var request = $"POST /v1.50/exec/{execId}/start HTTP/1.1\r\nHost: api.moby.localhost\r\nUser-Agent: Docker-Client/28.2.2 (linux)\r\n" +
                      $"Content-Length: {Encoding.UTF8.GetByteCount(StartBody)}\r\nConnection: Upgrade\r\nContent-Type: application/json\r\nUpgrade: tcp\r\n\r\n{StartBody}{stdin}";
        Assert.Equal(29, Encoding.UTF8.GetByteCount(StartBody));
        await s.SendAsync(Encoding.UTF8.GetBytes(request));
        if (!halfCloseAfterHead) s.Shutdown(SocketShutdown.Send);

        using var all = new MemoryStream();
        var buffer = new byte[8192];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        int n;
        while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
        {
            all.Write(buffer, 0, n);
            if (halfCloseAfterHead && all.ToArray().AsSpan().IndexOf("\r\n\r\n"u8) > 0)
            {
                s.Shutdown(SocketShutdown.Send);
                halfCloseAfterHead = false;
            }
        }
        var bytes = all.ToArray();
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end > 0, "no response head: " + Encoding.Latin1.GetString(bytes));
        return (Encoding.Latin1.GetString(bytes, 0, end), bytes[(end + 4)..]);
    }

    [Fact]
    public async Task Start_with_a_body_is_upgraded_and_output_survives_the_half_close()
    {
        using var api = NetPortalApiFactory.WithKestrel();
        api.Runtime.ExecScript = async (_, p) =>
        {
            // Written well after the client's FIN: plain Kestrel would drop it (toolchain notes §5, trap B).
            await Task.Delay(300);
            await p.WriteStdout("hi\n");
            await p.WriteStderr("oops\n");
            p.Exit(3);
        };
        var (c, execId) = await Prepare(api, """{"User":"","Privileged":false,"Tty":false,"AttachStdin":false,"AttachStderr":true,"AttachStdout":true,"Detach":false,"DetachKeys":"","Env":null,"WorkingDir":"","Cmd":["sh","-c","echo hi"]}""");

        var (head, payload) = await Hijack(api.Port, execId, halfCloseAfterHead: true);
        var lines = head.Split("\r\n");
        Assert.StartsWith("HTTP/1.1 101", lines[0]);
        Assert.Contains("Connection: Upgrade", lines);
        Assert.Contains("Upgrade: tcp", lines);
        Assert.Contains("Content-Type: application/vnd.docker.multiplexed-stream", lines);
        var frames = Frames(payload);
        Assert.Equal("hi\n", string.Concat(frames.Where(f => f.Stream == 1).Select(f => f.Text)));
        Assert.Equal("oops\n", string.Concat(frames.Where(f => f.Stream == 2).Select(f => f.Text)));
        Assert.Equal(3, (int)(await WaitForExit(c, execId))["ExitCode"]!);
    }

    [Fact]
    public async Task Half_close_right_after_the_request_still_gets_the_output()
    {
        using var api = NetPortalApiFactory.WithKestrel();
        api.Runtime.ExecScript = async (_, p) =>
        {
            await Task.Delay(300);
            await p.WriteStdout("late\n");
            p.Exit(0);
        };
        var (_, execId) = await Prepare(api, """{"AttachStdout":true,"AttachStderr":true,"Cmd":["true"]}""");
        var (head, payload) = await Hijack(api.Port, execId);
        Assert.StartsWith("HTTP/1.1 101", head);
        Assert.Equal([((byte)1, "late\n")], Frames(payload));
    }

    [Fact]
    public async Task Stdin_reaches_the_process_and_the_client_eof_closes_it()
    {
        using var api = NetPortalApiFactory.WithKestrel();
        api.Runtime.ExecScript = async (_, p) =>
        {
            var input = await p.ReadAllStdin();
            await p.WriteStdout("got:" + input);
            p.Exit(0);
        };
        var (_, execId) = await Prepare(api, """{"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"Cmd":["cat"]}""");
        var (head, payload) = await Hijack(api.Port, execId, stdin: "ping\n");
        Assert.StartsWith("HTTP/1.1 101", head);
        Assert.Equal([((byte)1, "got:ping\n")], Frames(payload));
    }

    [Fact]
    public async Task Second_start_writes_the_conflict_into_the_stream()
    {
        using var api = NetPortalApiFactory.WithKestrel();
        var (c, execId) = await Prepare(api, """{"AttachStdout":true,"Cmd":["true"]}""");
        await Hijack(api.Port, execId);
        await WaitForExit(c, execId);
        var (head, payload) = await Hijack(api.Port, execId);
        Assert.StartsWith("HTTP/1.1 101", head);
        var frame = Assert.Single(Frames(payload));
        Assert.Equal(1, frame.Stream);
        Assert.EndsWith("\r\n", frame.Text);
        Assert.Contains(execId, frame.Text);
    }

    [Fact]
    public async Task Keep_alive_requests_with_bodies_still_work_through_the_middleware()
    {
        using var api = NetPortalApiFactory.WithKestrel();
        var c = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api.Port}") };
        for (var i = 0; i < 3; i++)
            await c.CreateNetwork($$$"""{"Name":"ka{{{i}}}"}""");
        Assert.Equal(3, (await c.ListNames()).Count(n => n.StartsWith("ka", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Unknown_exec_is_404_before_any_upgrade()
    {
        using var api = NetPortalApiFactory.WithKestrel();
        var (head, payload) = await Hijack(api.Port, "nope");
        Assert.StartsWith("HTTP/1.1 404", head);
        Assert.Contains("No such exec instance: nope", Encoding.UTF8.GetString(payload));
    }
}
