using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using NetPortal.Api.Contracts;
using NetPortal.Api.Http;
using NetPortal.Core.Containers;
using NetPortal.Core.Errors;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Api.Exec;

/// <summary>
/// POST /exec/{id}/start as dockerd's router does it: with an Upgrade header, 101 and the hijacked connection
/// (multiplexed for non-TTY API ≥ 1.42, raw otherwise); without one, 200 and the stream as the body; Detach, 200 empty.
/// Errors after the stream began are written into it as text, like dockerd.
/// </summary>
public static class ExecStreaming
{
    public const string Multiplexed = "application/vnd.docker.multiplexed-stream";
    public const string Raw = "application/vnd.docker.raw-stream";

    public static async Task StartAsync(HttpContext ctx, ContainerService containers, string id)
    {
        var exec = containers.InspectExec(id); // 404 before anything is sent
        var upgrade = ctx.Features.Get<IHttpUpgradeFeature>();
        if (ctx.Request.Headers.ContainsKey("Upgrade") && upgrade is { IsUpgradableRequest: true })
        {
            await HijackAsync(ctx, upgrade, containers, exec);
            return;
        }

        var start = await DockerJson.ReadAsync<ExecStartConfig>(ctx.Request, ctx.RequestAborted);
        if (start.Detach)
        {
            Detach(containers.StartExec(exec.Id));
            ctx.Response.ContentLength = 0;
            return;
        }
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentType = Raw;
        await ctx.Response.StartAsync(ctx.RequestAborted);
        await PumpAsync(containers, exec, new FrameWriter(ctx.Response.Body, framed: !start.Tty), input: null);
    }

    private static async Task HijackAsync(HttpContext ctx, IHttpUpgradeFeature upgrade, ContainerService containers, ExecInstance exec)
    {
        // The start body is only readable after the 101 (it follows the head on the upgraded stream), so the
        // Content-Type comes from the exec's own Tty, which docker clients always send alike.
        ctx.Response.Headers.Connection = "Upgrade";
        ctx.Response.Headers.Upgrade = "tcp";
        ctx.Response.ContentType = !exec.Tty && ApiVersions.AtLeast(ctx, "1.42") ? Multiplexed : Raw;
        await using var stream = await upgrade.UpgradeAsync();
        ExecStartConfig start;
        try
        {
            start = await ReadBodyAsync(stream, ctx.Request.Headers[UpgradeBodyFix.ContentLengthHeader]);
        }
        catch (NetPortalException e)
        {
            await new FrameWriter(stream, framed: !exec.Tty).WriteAsync(1, Encoding.UTF8.GetBytes(e.Message + "\r\n"));
            return;
        }
        if (start.Detach)
        {
            Detach(containers.StartExec(exec.Id));
            return;
        }
        await PumpAsync(containers, exec, new FrameWriter(stream, framed: !start.Tty), stream);
    }

    /// <summary>The X-Upgrade-Content-Length bytes UpgradeBodyFix left at the start of the upgraded stream.</summary>
    private static async Task<ExecStartConfig> ReadBodyAsync(Stream stream, string? length)
    {
        var n = int.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        if (n > DockerJson.MaxBodyBytes) throw NetPortalException.InvalidParameter($"request body too large: the limit is {DockerJson.MaxBodyBytes} bytes");
        var body = new byte[n];
        try
        {
            await stream.ReadExactlyAsync(body);
        }
        catch (EndOfStreamException)
        {
            throw NetPortalException.InvalidParameter("invalid JSON: unexpected EOF");
        }
        return DockerJson.Parse<ExecStartConfig>(body, announced: n > 0);
    }

    /// <summary>Starts the process and copies its output (and the client's input when attached) until it exits.</summary>
    private static async Task PumpAsync(ContainerService containers, ExecInstance exec, FrameWriter output, Stream? input)
    {
        IExecProcess process;
        try
        {
            process = containers.StartExec(exec.Id);
        }
        catch (NetPortalException e)
        {
            await output.WriteAsync(1, Encoding.UTF8.GetBytes(e.Message + "\r\n"));
            return;
        }
        await using (process)
        {
            using var exited = new CancellationTokenSource();
            var stdin = Task.CompletedTask;
            if (process.StandardInput is { } processStdin)
            {
                if (input is not null && exec.AttachStdin) stdin = CopyStdinAsync(input, processStdin, exited.Token);
                else await processStdin.DisposeAsync();
            }
            await Task.WhenAll(
                output.CopyAsync(process.StandardOutput, 1, exec.AttachStdout),
                output.CopyAsync(process.StandardError, 2, exec.AttachStderr));
            await process.Exited;
            await exited.CancelAsync();
            await stdin;
        }
    }

    /// <summary>Client input to the process; the client's end of input (a half-close) closes the process's stdin.</summary>
    private static async Task CopyStdinAsync(Stream input, Stream processStdin, CancellationToken ct)
    {
        await using (processStdin)
        {
            var buffer = new byte[32 * 1024];
            try
            {
                int read;
                while ((read = await input.ReadAsync(buffer, ct)) > 0)
                {
                    await processStdin.WriteAsync(buffer.AsMemory(0, read), ct);
                    await processStdin.FlushAsync(ct);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The process exited, or the client went away: either way stdin is done.
            }
        }
    }

    /// <summary>Detach: nobody reads the output, so it is drained; the process is released when it exits.</summary>
    private static void Detach(IExecProcess process) => _ = Task.Run(async () =>
    {
        await using (process)
        {
            if (process.StandardInput is { } stdin) await stdin.DisposeAsync();
            await Task.WhenAll(process.StandardOutput.CopyToAsync(Stream.Null), process.StandardError.CopyToAsync(Stream.Null), process.Exited);
        }
    });

    /// <summary>
    /// Writes stdcopy frames ([stream, 0, 0, 0, length big-endian] + payload) or raw bytes (TTY), one writer at a time.
    /// Once the client is gone, output is still drained so the process never blocks on a full pipe.
    /// </summary>
    private sealed class FrameWriter(Stream stream, bool framed)
    {
        private readonly SemaphoreSlim _lock = new(1, 1);
        private volatile bool _broken;

        public async Task CopyAsync(Stream source, byte streamId, bool forward)
        {
            var buffer = new byte[32 * 1024];
            int read;
            while ((read = await source.ReadAsync(buffer)) > 0)
                if (forward) await WriteAsync(streamId, buffer.AsMemory(0, read));
        }

        public async Task WriteAsync(byte streamId, ReadOnlyMemory<byte> payload)
        {
            if (_broken) return;
            await _lock.WaitAsync();
            try
            {
                if (framed)
                {
                    var header = new byte[8];
                    header[0] = streamId;
                    BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)payload.Length);
                    await stream.WriteAsync(header);
                }
                await stream.WriteAsync(payload);
                await stream.FlushAsync();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                _broken = true;
            }
            finally
            {
                _lock.Release();
            }
        }
    }
}
