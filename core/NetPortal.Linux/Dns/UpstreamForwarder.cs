using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace NetPortal.Linux.Dns;

/// <summary>
/// Sends a client's question, byte for byte, to up to three upstream servers in order and returns the first useful
/// answer. Like dockerd: the same transport as the client used (a truncated UDP answer goes back truncated and the
/// client retries over TCP), failover on timeout, SERVFAIL, REFUSED or garbage, and a bounded total wait.
/// Sockets come from <c>openInManaged</c>, i.e. are created in the managed namespace, which plays the host's role:
/// dockerd queries the host's resolv.conf servers from the host namespace so that loopback resolvers work.
/// </summary>
internal sealed class UpstreamForwarder(Func<Func<Socket>, Socket> openInManaged, EmbeddedResolverOptions options)
{
    public const int MaxUpstreams = 3;

    /// <summary>Null when no upstream answered usefully within the budget.</summary>
    public async Task<DnsMessage?> ForwardAsync(byte[] query, ushort id, bool tcp, IReadOnlyList<IPEndPoint> upstreams, CancellationToken stop)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stop);
        budget.CancelAfter(options.ForwardBudget);
        foreach (var upstream in upstreams.Take(MaxUpstreams))
        {
            if (budget.IsCancellationRequested) break;
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(budget.Token);
            attempt.CancelAfter(options.UpstreamTimeout);
            try
            {
                var answer = tcp
                    ? await ExchangeTcpAsync(upstream, query, id, attempt.Token).ConfigureAwait(false)
                    : await ExchangeUdpAsync(upstream, query, id, attempt.Token).ConfigureAwait(false);
                if (answer is null || answer.ReturnCode is ReturnCode.ServerFailure or ReturnCode.Refused) continue;
                return answer;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // This upstream timed out or cannot be reached: try the next one.
            }
        }
        return null;
    }

    /// <summary>Parses resolv.conf / --dns entries ("1.1.1.1", "fe80::1%eth0", "[::1]:5353"); skips junk and ourselves.</summary>
    public static List<IPEndPoint> ParseUpstreams(IEnumerable<string> servers)
    {
        var result = new List<IPEndPoint>();
        foreach (var s in servers)
        {
            // IPAddress.TryParse would accept "[::1]:5353" and drop the port; IPEndPoint gives port 0 when there is none.
            IPEndPoint? ep = IPEndPoint.TryParse(s.Trim(), out var parsed) ? (parsed.Port == 0 ? new IPEndPoint(parsed.Address, 53) : parsed) : null;
            // Forwarding to 127.0.0.11 would come straight back to a resolver (ours, or the managed namespace's own).
            if (ep is null || ep.Address.Equals(IPAddress.Parse(ResolverNat.Address))) continue;
            result.Add(ep);
            if (result.Count == MaxUpstreams) break;
        }
        return result;
    }

    private async Task<DnsMessage?> ExchangeUdpAsync(IPEndPoint upstream, byte[] query, ushort id, CancellationToken token)
    {
        using var socket = openInManaged(() => new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        // A connected socket with a fresh ephemeral port per question: only the upstream can answer it.
        await socket.ConnectAsync(upstream, token).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, token).ConfigureAwait(false);
        var buffer = new byte[ushort.MaxValue];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
            var answer = TryParse(buffer.AsSpan(0, n).ToArray());
            // Anything that is not the answer to this question is ignored until the timeout, like a stray datagram.
            if (answer is not null && !answer.IsQuery && answer.TransactionID == id) return answer;
        }
    }

    private async Task<DnsMessage?> ExchangeTcpAsync(IPEndPoint upstream, byte[] query, ushort id, CancellationToken token)
    {
        using var socket = openInManaged(() => new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        await socket.ConnectAsync(upstream, token).ConfigureAwait(false);
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await socket.SendAsync(framed, SocketFlags.None, token).ConfigureAwait(false);
        var prefix = new byte[2];
        if (!await ReadExactlyAsync(socket, prefix, token).ConfigureAwait(false)) return null;
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        if (!await ReadExactlyAsync(socket, message, token).ConfigureAwait(false)) return null;
        var answer = TryParse(message);
        return answer is not null && !answer.IsQuery && answer.TransactionID == id ? answer : null;
    }

    private static DnsMessage? TryParse(byte[] message)
    {
        try { return DnsMessage.Parse(message); }
        catch { return null; }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken token)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, token).ConfigureAwait(false);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }
}
