namespace NetPortal.Linux.Netlink;

/// <summary>
/// rtnetlink over one socket. The socket belongs to the namespace it was opened in, so every
/// operation acts there whichever thread calls it; a lock keeps request/reply pairs together.
/// </summary>
public sealed partial class RouteNetlink : IRouteNetlink, IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024; // kernel dump skbs are at most 32 KiB; bigger never truncates
    private readonly INetlinkTransport _transport;
    private readonly Lock _lock = new();
    private readonly byte[] _receive = new byte[ReceiveBufferSize];
    private readonly byte[] _send = new byte[1024];
    private uint _sequence = (uint)Environment.TickCount;

    internal RouteNetlink(INetlinkTransport transport) => _transport = transport;

    /// <summary>Opens a socket in the calling thread's namespace (see NetNamespace.OpenRouteNetlink for another namespace).</summary>
    public static RouteNetlink OpenCurrent() => new(NetlinkSocket.Open());

    public void Dispose() => _transport.Dispose();

    internal delegate void MessageHandler(in NetlinkMessage message);

    /// <summary>Sends a request built by <paramref name="build"/> and waits for its ACK (NLMSG_ERROR with 0).</summary>
    internal void Execute(string operation, WriteRequest build) =>
        Exchange(operation, build, static (in NetlinkMessage _) => { }, dump: false);

    /// <summary>Sends a request and hands every reply message of our sequence to <paramref name="onMessage"/>.</summary>
    internal void Exchange(string operation, WriteRequest build, MessageHandler onMessage, bool dump)
    {
        lock (_lock)
        {
            var seq = ++_sequence;
            var writer = new NetlinkWriter(_send);
            build(ref writer, seq);
            _transport.Send(writer.EndMessage());
            while (true)
            {
                var n = _transport.Receive(_receive);
                var reader = new NetlinkReader(_receive.AsSpan(0, n));
                while (reader.TryRead(out var m))
                {
                    // Stale replies (e.g. a late ACK of an interrupted earlier request) carry another sequence.
                    if (m.Sequence != seq) continue;
                    if (m.IsError)
                    {
                        if (m.Errno != 0) throw new NetlinkException(m.Errno, operation);
                        return; // ACK
                    }
                    if (m.IsDone)
                    {
                        if (m.Errno != 0) throw new NetlinkException(m.Errno, operation);
                        return;
                    }
                    onMessage(in m);
                    // A plain GET (no NLM_F_DUMP, no NLM_F_ACK) is answered by exactly one message.
                    if (!dump) return;
                }
            }
        }
    }

    internal delegate void WriteRequest(ref NetlinkWriter writer, uint sequence);
}
