using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace NetPortal.Linux.Dns;

/// <summary>
/// ARSoft's server transport over a TCP listener already bound and listening inside a sandbox's namespace. Each
/// accepted connection holds one in-flight slot until it closes (ARSoft disposes it once its last answer is sent);
/// idle connections are closed after TcpIdleTimeout so that slots come back.
/// </summary>
internal sealed class BoundTcpTransport : IServerTransport
{
    // A stalled client gets this long to send the rest of a message it has started.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly SemaphoreSlim _slots;
    private readonly PendingQueries _pending;
    private readonly TimeSpan _idle;
    private readonly IPEndPoint _local;

    public BoundTcpTransport(Socket listener, SemaphoreSlim slots, PendingQueries pending, TimeSpan idle)
    {
        _listener = listener;
        _slots = slots;
        _pending = pending;
        _idle = idle;
        _local = (IPEndPoint)listener.LocalEndPoint!;
    }

    public ushort DefaultAllowedResponseSize => ushort.MaxValue;
    public bool SupportsMultipleResponses => true;
    public bool AllowTruncatedResponses => false;
    public TransportProtocol TransportProtocol => TransportProtocol.Tcp;

    /// <summary>The listener is bound and listening before the server starts (in the sandbox's namespace).</summary>
    public void Bind() { }

    public void Close() => _listener.Close();

    public void Dispose() => _listener.Dispose();

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        // As for UDP: never throw into DnsServer's async void accept loop.
        try
        {
            await _slots.WaitAsync(token).ConfigureAwait(false);
        }
        catch
        {
            return null;
        }
        try
        {
            var client = await _listener.AcceptAsync(token).ConfigureAwait(false);
            return new Connection(this, client);
        }
        catch (Exception e)
        {
            _slots.Release();
            if (e is ObjectDisposedException && !token.IsCancellationRequested)
            {
                try { await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false); }
                catch { /* stopped */ }
            }
            return null;
        }
    }

    private sealed class Connection : IServerConnection
    {
        private readonly BoundTcpTransport _transport;
        private readonly Socket _client;
        private readonly IPEndPoint _remote;
        // ARSoft's server reads the next message of a connection while earlier ones are still being answered, so
        // several may be parked at once; whatever was not taken (unparsable) is released when the connection ends.
        private readonly List<((TransportProtocol, IPEndPoint, ushort) Key, byte[] Message)> _parked = [];
        private readonly SemaphoreSlim _sending = new(1, 1);
        private int _released;

        public Connection(BoundTcpTransport transport, Socket client)
        {
            _transport = transport;
            _client = client;
            _remote = (IPEndPoint)client.RemoteEndPoint!;
        }

        public IServerTransport Transport => _transport;
        public IPEndPoint RemoteEndPoint => _remote;
        public IPEndPoint LocalEndPoint => _transport._local;
        public bool CanRead { get; private set; } = true;

        public Task<bool> InitializeAsync(CancellationToken token) => Task.FromResult(true);

        public async Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token)
        {
            try
            {
                var prefix = new byte[DnsRawPackage.LENGTH_HEADER_LENGTH];
                if (!await ReadExactlyAsync(prefix, _transport._idle, token).ConfigureAwait(false)) return Closed();
                var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
                var framed = new byte[length + DnsRawPackage.LENGTH_HEADER_LENGTH];
                prefix.CopyTo(framed, 0);
                if (!await ReadExactlyAsync(framed.AsMemory(DnsRawPackage.LENGTH_HEADER_LENGTH), ReadTimeout, token).ConfigureAwait(false)) return Closed();
                var message = framed[DnsRawPackage.LENGTH_HEADER_LENGTH..];
                if (_transport._pending.Park(TransportProtocol.Tcp, _remote, message) is { } key)
                {
                    lock (_parked)
                    {
                        // Keep the list short on long-lived connections: taken entries need no release.
                        if (_parked.Count >= 64) _parked.RemoveAll(p => !_transport._pending.Contains(p.Key, p.Message));
                        _parked.Add((key, message));
                    }
                }
                return new DnsReceivedRawPackage(framed, _remote, _transport._local);
            }
            catch
            {
                return Closed();
            }
        }

        public async Task<bool> SendAsync(DnsRawPackage package, CancellationToken token)
        {
            try
            {
                var data = package.ToArraySegment(true).Slice(0, package.Length + DnsRawPackage.LENGTH_HEADER_LENGTH);
                // Answers to pipelined questions are sent concurrently; one at a time keeps their frames whole.
                await _sending.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    var sent = 0;
                    while (sent < data.Count) sent += await _client.SendAsync(data[sent..], SocketFlags.None, token).ConfigureAwait(false);
                }
                finally
                {
                    _sending.Release();
                }
                return true;
            }
            catch
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            lock (_parked)
            {
                foreach (var (key, message) in _parked) _transport._pending.Release(key, message);
                _parked.Clear();
            }
            _client.Dispose();
            _transport._slots.Release();
        }

        private DnsReceivedRawPackage? Closed()
        {
            CanRead = false;
            return null;
        }

        /// <summary>False on end of stream or when <paramref name="timeout"/> passes first.</summary>
        private async Task<bool> ReadExactlyAsync(Memory<byte> buffer, TimeSpan timeout, CancellationToken token)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
            limit.CancelAfter(timeout);
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await _client.ReceiveAsync(buffer[read..], SocketFlags.None, limit.Token).ConfigureAwait(false);
                if (n == 0) return false;
                read += n;
            }
            return true;
        }
    }
}
