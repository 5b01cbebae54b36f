using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using NetPortal.Core.Dns;

namespace NetPortal.Linux.Dns;

/// <summary>One sandbox's resolver: the two sockets bound inside its namespace and the ARSoft server reading them.</summary>
internal sealed class SandboxListener : IDisposable
{
    private readonly Socket _udp, _tcp;
    private readonly DnsServer _server;
    private readonly CancellationTokenSource _stopping = new();
    private volatile Target _target;
    private int _disposed;

    /// <summary>Who is asking, as the directory knows them; swapped atomically when Attach is called again.</summary>
    public sealed record Target(string ContainerId, IDnsDirectory Directory);

    public SandboxListener(string key, Socket udp, Socket tcp, Target target, EmbeddedResolverOptions options,
        Func<SandboxListener, QueryReceivedEventArgs, Task> onQuery, Action<Exception> onError)
    {
        Key = key;
        _udp = udp;
        _tcp = tcp;
        _target = target;
        UdpPort = ((IPEndPoint)udp.LocalEndPoint!).Port;
        TcpPort = ((IPEndPoint)tcp.LocalEndPoint!).Port;
        // One limit for both transports of this sandbox, as dockerd's per-resolver maxConcurrent.
        var slots = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        _server = new DnsServer(
            new BoundUdpTransport(udp, slots, Pending),
            new BoundTcpTransport(tcp, slots, Pending, options.TcpIdleTimeout));
        _server.QueryReceived += (_, e) => onQuery(this, e);
        _server.ExceptionThrown += (_, e) =>
        {
            onError(e.Exception);
            return Task.CompletedTask;
        };
    }

    public string Key { get; }
    public int UdpPort { get; }
    public int TcpPort { get; }
    public PendingQueries Pending { get; } = new();
    public Target Current => _target;

    /// <summary>Cancelled when the sandbox is detached, so that its forwards stop waiting on upstreams.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public void Retarget(Target target) => _target = target;

    public void Start() => _server.Start();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        try { _server.Stop(); }
        catch (AggregateException) { /* the accept loops end on their own once the sockets are closed */ }
        _udp.Dispose();
        _tcp.Dispose();
        _stopping.Dispose();
    }
}
