using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;

namespace NetPortal.Api.Http;

/// <summary>
/// Kestrel connection middleware that makes Docker's hijack work (toolchain notes §5). Docker dials a new connection
/// for every hijack, so only the first request head is looked at. If it is an upgrade request:
/// <list type="bullet">
/// <item>its Content-Length is renamed X-Upgrade-Content-Length, so Kestrel allows the upgrade (it refuses requests
/// with a body); the endpoint reads those bytes from the upgraded stream;</item>
/// <item>Kestrel gets its own ConnectionClosed token, so the client's half-close (FIN) no longer aborts the output;
/// the FIN still reaches the upgraded stream as end of input.</item>
/// </list>
/// </summary>
public static partial class UpgradeBodyFix
{
    /// <summary>Heads longer than this are passed through untouched.</summary>
    private const int MaxHead = 64 * 1024;

    [GeneratedRegex(@"^Connection:[^\n]*\bupgrade\b", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ConnectionUpgrade();

    [GeneratedRegex(@"^Transfer-Encoding:", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex TransferEncoding();

    [GeneratedRegex(@"^Content-Length:[ \t]*([1-9][0-9]*)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ContentLength();

    /// <summary>The header the endpoint reads the body length from.</summary>
    public const string ContentLengthHeader = "X-Upgrade-Content-Length";

    public static ConnectionDelegate Middleware(ConnectionDelegate next) => async ctx =>
    {
        var original = ctx.Transport;
        var pipe = new Pipe();
        var isUpgrade = false;
        var closed = new CancellationTokenSource();
        var originalClosed = ctx.ConnectionClosed;
        // A FIN can be seen by the transport before the pump has read the head (a client that sends its request and
        // half-closes at once); the decision then waits for the head, so such a connection is not aborted.
        var headSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var reg = originalClosed.Register(() => headSeen.Task.ContinueWith(_ =>
        {
            if (Volatile.Read(ref isUpgrade)) return;
            try
            {
                closed.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The connection already ended.
            }
        }, TaskScheduler.Default));
        ctx.ConnectionClosed = closed.Token;
        var pump = Pump(original.Input, pipe.Writer, () => Volatile.Write(ref isUpgrade, true), () => headSeen.TrySetResult());
        ctx.Transport = new DuplexPipe(pipe.Reader, original.Output);
        try
        {
            await next(ctx);
        }
        finally
        {
            ctx.Transport = original;
            ctx.ConnectionClosed = originalClosed;
            original.Input.CancelPendingRead();
            try
            {
                await pump;
            }
            catch
            {
                // The connection is over; a read error on it has nobody left to tell.
            }
            headSeen.TrySetResult();
            closed.Cancel();
            closed.Dispose();
        }
    };

    private static async Task Pump(PipeReader src, PipeWriter dst, Action markUpgrade, Action headDone)
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await src.ReadAsync();
                if (result.IsCanceled) return;
                var buffer = result.Buffer;
                var window = buffer.Slice(0, Math.Min(buffer.Length, MaxHead)).ToArray();
                var end = HeadEnd(window);
                if (end < 0)
                {
                    if (buffer.Length < MaxHead && !result.IsCompleted)
                    {
                        src.AdvanceTo(buffer.Start, buffer.End);
                        continue;
                    }
                    // No head within the limit, or the client stopped mid-head: pass everything through as is.
                    headDone();
                    foreach (var segment in buffer) await dst.WriteAsync(segment);
                    src.AdvanceTo(buffer.End);
                    if (result.IsCompleted) return;
                    break;
                }

                var head = Encoding.Latin1.GetString(window, 0, end);
                if (ConnectionUpgrade().IsMatch(head))
                {
                    markUpgrade();
                    if (!TransferEncoding().IsMatch(head))
                        head = ContentLength().Replace(head, ContentLengthHeader + ": $1", 1);
                }
                headDone();
                await dst.WriteAsync(Encoding.Latin1.GetBytes(head));
                src.AdvanceTo(buffer.GetPosition(end));
                break;
            }
            await src.CopyToAsync(dst);
        }
        catch (Exception e)
        {
            error = e;
            throw;
        }
        finally
        {
            headDone();
            await dst.CompleteAsync(error);
            await src.CompleteAsync();
        }
    }

    /// <summary>Index just past the blank line ending the head ("\n\n" or "\n\r\n": Docker.DotNet ends lines with a bare \n), or -1.</summary>
    private static int HeadEnd(byte[] data)
    {
        for (var i = 0; i + 1 < data.Length; i++)
        {
            if (data[i] != (byte)'\n') continue;
            if (data[i + 1] == (byte)'\n') return i + 2;
            if (i + 2 < data.Length && data[i + 1] == (byte)'\r' && data[i + 2] == (byte)'\n') return i + 3;
        }
        return -1;
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
