using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NetPortal.Core.Ports;
using NetPortal.Linux.Namespaces;

namespace NetPortal.Linux.Ports;

/// <summary>
/// docker-proxy in-process for one published port: listens on HostIp:HostPort in the managed namespace and
/// forwards to ContainerIp:ContainerPort, for traffic NAT cannot take (connections to 127.0.0.1 without hairpin,
/// [::] twins of IPv4-only containers). Everything is asynchronous: an idle port is one socket and one pending
/// accept/receive, no thread; buffers come from the shared pool only while data is moving (zero-byte reads wait
/// for readability without holding one). SCTP has no proxy (firewall rules only): .NET has no SCTP sockets.
/// </summary>
public sealed class UserlandProxy : IDisposable
{
    /// <summary>docker-proxy's UDPConnTrackTimeout: a UDP flow with no packet either way for this long is closed.</summary>
    public static readonly TimeSpan DefaultUdpIdleTimeout = TimeSpan.FromSeconds(90);

    // io.Copy's buffer size in docker-proxy (TCP); UDP needs room for the largest datagram (UDPBufSize).
    private const int TcpBufferSize = 32 * 1024;
    private const int UdpBufferSize = 65507;

    private readonly NetNamespace _ns;
    private readonly ILogger _logger;
    private readonly Socket _frontend;
    private readonly IPEndPoint _backend;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, bool> _tcpConnections = new();
    private readonly ConcurrentDictionary<EndPoint, UdpFlow> _udpFlows = new();
    private readonly TimeSpan _udpIdleTimeout;
    private readonly Timer? _sweeper;
    private int _disposed;

    private UserlandProxy(NetNamespace ns, PortMapping mapping, Socket frontend, ILogger logger, TimeSpan udpIdleTimeout)
    {
        _ns = ns;
        Mapping = mapping;
        _frontend = frontend;
        _backend = PortSockets.ContainerEndPoint(mapping);
        _logger = logger;
        _udpIdleTimeout = udpIdleTimeout;
        if (mapping.Protocol == "udp")
        {
            // One timer per UDP port (a timer-queue entry, no thread) closes idle flows as docker-proxy's read deadline does.
            var period = udpIdleTimeout / 2;
            _sweeper = new Timer(_ => SweepIdleFlows(), null, period, period);
            _ = UdpReceiveLoopAsync();
        }
        else
        {
            _ = AcceptLoopAsync();
        }
    }

    public PortMapping Mapping { get; }

    /// <summary>TCP connections or UDP flows being forwarded now (for tests and diagnostics).</summary>
    public int ActiveFlows => Mapping.Protocol == "udp" ? _udpFlows.Count : _tcpConnections.Count / 2;

    /// <summary>
    /// Binds the host side in the managed namespace and starts forwarding. A taken port fails like docker-proxy:
    /// "listen tcp4 0.0.0.0:8080: bind: address already in use".
    /// </summary>
    public static UserlandProxy Start(NetNamespace ns, PortMapping mapping, ILogger logger, TimeSpan? udpIdleTimeout = null)
    {
        if (mapping.Protocol is not ("tcp" or "udp"))
        {
            throw new ArgumentException($"no userland proxy for {mapping.Protocol}", nameof(mapping));
        }

        var frontend = PortSockets.Listen(ns, mapping);
        return new UserlandProxy(ns, mapping, frontend, logger, udpIdleTimeout ?? DefaultUdpIdleTimeout);
    }

    /// <summary>Closes the listener and every connection/flow (docker-proxy's process exit).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _sweeper?.Dispose();
        _frontend.Dispose();
        foreach (var socket in _tcpConnections.Keys)
        {
            socket.Dispose();
        }

        foreach (var flow in _udpFlows.Values)
        {
            flow.Backend.Dispose();
        }

        _stop.Dispose();
    }

    private bool Stopped => Volatile.Read(ref _disposed) != 0;

    private async Task AcceptLoopAsync()
    {
        var token = _stop.Token;
        while (!Stopped)
        {
            Socket client;
            try
            {
                client = await _frontend.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || Stopped)
            {
                return;
            }
            catch (SocketException e)
            {
                // E.g. EMFILE: keep the port published and back off instead of spinning on the same error.
                _logger.LogWarning("userland proxy {Proto} {Port}: accept failed: {Error}", Mapping.Protocol, Mapping.HostPort, e.Message);
                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            _ = ForwardTcpAsync(client, token);
        }
    }

    private async Task ForwardTcpAsync(Socket client, CancellationToken token)
    {
        Socket? backend = null;
        try
        {
            client.NoDelay = true;
            _tcpConnections[client] = true;
            backend = PortSockets.Connector(_ns, _backend.AddressFamily, "tcp");
            _tcpConnections[backend] = true;
            if (Stopped)
            {
                return;
            }

            await backend.ConnectAsync(_backend, token).ConfigureAwait(false);
            var up = CopyAsync(client, backend, token);
            var down = CopyAsync(backend, client, token);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            if (!Stopped)
            {
                _logger.LogDebug("Can't forward traffic to backend tcp/{Backend}: {Error}", PortSockets.Format(_backend), e.Message);
            }
        }
        finally
        {
            _tcpConnections.TryRemove(client, out _);
            client.Dispose();
            if (backend is not null)
            {
                _tcpConnections.TryRemove(backend, out _);
                backend.Dispose();
            }
        }
    }

    /// <summary>
    /// One direction of a connection. EOF is passed on as a half-close (shutdown SHUT_WR), as docker-proxy's
    /// CloseWrite does, so request/response protocols that close their sending side still get the answer.
    /// An error (reset) in either direction closes both sockets, which ends the other direction too.
    /// </summary>
    private static async Task CopyAsync(Socket from, Socket to, CancellationToken token)
    {
        try
        {
            while (true)
            {
                await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, token).ConfigureAwait(false);
                var buffer = ArrayPool<byte>.Shared.Rent(TcpBufferSize);
                try
                {
                    var n = await from.ReceiveAsync(buffer.AsMemory(0, TcpBufferSize), SocketFlags.None, token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    for (var sent = 0; sent < n;)
                    {
                        sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None, token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            from.Dispose();
            to.Dispose();
        }
    }

    private async Task UdpReceiveLoopAsync()
    {
        var token = _stop.Token;
        EndPoint any = _frontend.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!Stopped)
        {
            byte[]? buffer = null;
            try
            {
                // Peek with no room: waits for a datagram without consuming it or holding a 64 KiB buffer while idle.
                await _frontend.ReceiveFromAsync(Memory<byte>.Empty, SocketFlags.Peek, any, token).ConfigureAwait(false);
                buffer = ArrayPool<byte>.Shared.Rent(UdpBufferSize);
                var received = await _frontend.ReceiveFromAsync(buffer.AsMemory(0, UdpBufferSize), SocketFlags.None, any, token).ConfigureAwait(false);
                await ForwardAsync(received.RemoteEndPoint, buffer.AsMemory(0, received.ReceivedBytes), token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || Stopped)
            {
                return;
            }
            catch (SocketException e)
            {
                // ICMP errors reported on the listening socket (e.g. a client gone) are not fatal for the port.
                _logger.LogDebug("userland proxy udp {Port}: receive failed: {Error}", Mapping.HostPort, e.Message);
            }
            finally
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    /// <summary>
    /// Sends a client's datagram to the container on that client's flow. The sweeper may close an idle flow between
    /// the lookup and the send; the datagram then goes on a fresh flow. Failures lose the datagram, never the port.
    /// </summary>
    private async Task ForwardAsync(EndPoint client, ReadOnlyMemory<byte> datagram, CancellationToken token)
    {
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var flow = FlowFor(client);
            flow.Touch();
            try
            {
                await flow.Backend.SendAsync(datagram, SocketFlags.None, token).ConfigureAwait(false);
                return;
            }
            catch (ObjectDisposedException) when (!Stopped)
            {
                _udpFlows.TryRemove(new KeyValuePair<EndPoint, UdpFlow>(flow.Client, flow));
            }
            catch (SocketException e)
            {
                _logger.LogDebug("userland proxy udp {Port}: write to {Backend} failed: {Error}", Mapping.HostPort, PortSockets.Format(_backend), e.Message);
                return;
            }
        }
    }

    private UdpFlow FlowFor(EndPoint client)
    {
        if (_udpFlows.TryGetValue(client, out var flow))
        {
            return flow;
        }

        // A connected socket per client address: replies from the container come back on it and go to that client.
        var backend = PortSockets.Connector(_ns, _backend.AddressFamily, "udp");
        try
        {
            backend.Connect(_backend);
        }
        catch
        {
            backend.Dispose();
            throw;
        }

        flow = new UdpFlow(client, backend);
        _udpFlows[client] = flow;
        _ = UdpReplyLoopAsync(flow);
        if (Stopped)
        {
            backend.Dispose();
        }

        return flow;
    }

    private async Task UdpReplyLoopAsync(UdpFlow flow)
    {
        var token = _stop.Token;
        try
        {
            while (!Stopped)
            {
                byte[]? buffer = null;
                try
                {
                    await flow.Backend.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, token).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(UdpBufferSize);
                    var n = await flow.Backend.ReceiveAsync(buffer.AsMemory(0, UdpBufferSize), SocketFlags.None, token).ConfigureAwait(false);
                    flow.Touch();
                    await _frontend.SendToAsync(buffer.AsMemory(0, n), SocketFlags.None, flow.Client, token).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    // ICMP port unreachable from the container (nothing listening yet): docker-proxy keeps the flow.
                }
                finally
                {
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            _udpFlows.TryRemove(new KeyValuePair<EndPoint, UdpFlow>(flow.Client, flow));
            flow.Backend.Dispose();
        }
    }

    private void SweepIdleFlows()
    {
        var now = Environment.TickCount64;
        foreach (var flow in _udpFlows.Values)
        {
            if (now - flow.LastActive >= (long)_udpIdleTimeout.TotalMilliseconds)
            {
                // Closing the socket ends its reply loop, which forgets the flow.
                flow.Backend.Dispose();
            }
        }
    }

    private sealed class UdpFlow(EndPoint client, Socket backend)
    {
        private long _lastActive = Environment.TickCount64;

        public EndPoint Client { get; } = client;

        public Socket Backend { get; } = backend;

        public long LastActive => Volatile.Read(ref _lastActive);

        public void Touch() => Volatile.Write(ref _lastActive, Environment.TickCount64);
    }
}
