using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace NetPortal.Linux.Dns;

/// <summary>
/// ARSoft's server transport over a UDP socket that was already bound inside a sandbox's namespace (ARSoft's own
/// transports bind in the calling thread's namespace). Each datagram is one "connection"; a slot of the shared
/// in-flight limit is held from receipt until the answer is sent, so at most MaxInFlight datagrams are being served
/// and further ones wait in the socket's receive queue (or are dropped by the kernel, as under any overload).
/// </summary>
internal sealed class BoundUdpTransport(Socket socket, SemaphoreSlim slots, PendingQueries pending) : IServerTransport
{
    private readonly IPEndPoint _local = (IPEndPoint)socket.LocalEndPoint!;
    private readonly SemaphoreSlim _slots = slots;
    private readonly PendingQueries _pending = pending;

    // Queries are small; 4096 leaves room for EDNS options. Larger datagrams are truncated and fail to parse.
    private const int ReceiveBufferSize = 4096;

    public ushort DefaultAllowedResponseSize => 512;
    public bool SupportsMultipleResponses => false;
    public bool AllowTruncatedResponses => true;
    public TransportProtocol TransportProtocol => TransportProtocol.Udp;

    /// <summary>The socket is bound before the server starts (in the sandbox's namespace).</summary>
    public void Bind() { }

    public void Close() => socket.Close();

    public void Dispose() => socket.Dispose();

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        // DnsServer's accept loop is an async void method: anything thrown here would take the process down, so every
        // failure becomes null (which the loop skips) and a closed socket parks the loop until the server is stopped.
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
            var buffer = new byte[ReceiveBufferSize];
            var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), token).ConfigureAwait(false);
            var client = (IPEndPoint)r.RemoteEndPoint;
            var message = buffer.AsSpan(0, r.ReceivedBytes).ToArray();
            return new Connection(this, client, message, _pending.Park(TransportProtocol.Udp, client, message));
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

    private sealed class Connection(BoundUdpTransport transport, IPEndPoint client, byte[] message, (TransportProtocol, IPEndPoint, ushort)? key) : IServerConnection
    {
        private int _released;

        public IServerTransport Transport => transport;
        public IPEndPoint RemoteEndPoint => client;
        public IPEndPoint LocalEndPoint => transport._local;
        public bool CanRead { get; private set; } = true;

        public Task<bool> InitializeAsync(CancellationToken token) => Task.FromResult(true);

        public Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token)
        {
            CanRead = false;
            // ARSoft's raw packages carry the TCP length prefix in front of the message, whatever the transport.
            var framed = new byte[message.Length + DnsRawPackage.LENGTH_HEADER_LENGTH];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
            message.CopyTo(framed, DnsRawPackage.LENGTH_HEADER_LENGTH);
            return Task.FromResult<DnsReceivedRawPackage?>(new DnsReceivedRawPackage(framed, client, LocalEndPoint));
        }

        public async Task<bool> SendAsync(DnsRawPackage package, CancellationToken token)
        {
            try
            {
                var data = package.ToArraySegment(false).Slice(0, package.Length);
                return await transport.SendToAsync(data, client, token).ConfigureAwait(false) == package.Length;
            }
            catch
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            transport._pending.Release(key, message);
            transport._slots.Release();
        }
    }

    private ValueTask<int> SendToAsync(ArraySegment<byte> data, IPEndPoint client, CancellationToken token) =>
        socket.SendToAsync(data, SocketFlags.None, client, token);
}
