using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NetPortal.Core.Dns;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Firewall;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Namespaces;
using NetPortal.Linux.Sandboxes;

namespace NetPortal.Linux.Dns;

/// <summary>
/// Docker's embedded DNS server at 127.0.0.11 (libnetwork resolver.go). Per sandbox, a UDP and a TCP socket are bound
/// to 127.0.0.11 with random ports inside the sandbox's network namespace, and nat rules in that namespace map :53 onto
/// them (DOCKER_OUTPUT / DOCKER_POSTROUTING, as dockerd 20.10 writes them), so the container keeps its own port 53.
/// Container names come from the <see cref="IDnsDirectory"/>; everything else goes to the directory's upstreams, which
/// are all queried from the managed namespace (the "host" of NetPortal; see <see cref="UpstreamForwarder"/>). dockerd
/// queries a container's own --dns servers from the container's namespace instead; here they too leave from the
/// managed namespace, which only matters for a --dns server reachable from the container but not from the managed
/// namespace.
/// </summary>
public sealed partial class EmbeddedResolver : IEmbeddedResolver, IDisposable
{
    private readonly Func<Func<Socket>, Socket> _inManaged;
    private readonly Func<string, IReadOnlyList<string>, string?, ProcessResult> _runInNetns;
    private readonly ILogger<EmbeddedResolver> _logger;
    private readonly EmbeddedResolverOptions _options;
    private readonly UpstreamForwarder _forwarder;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SandboxListener> _listeners = new(StringComparer.Ordinal);
    // Serialises Attach/Detach of one sandbox without making sandboxes wait for each other (Attach runs processes).
    private readonly ConcurrentDictionary<string, object> _gates = new(StringComparer.Ordinal);
    private long _queries, _localAnswers, _forwards, _forwardFailures, _malformed, _attachFailures;
    private bool _disposed;

    /// <summary>
    /// What the daemon uses: forwarding sockets are created on <paramref name="managed"/>'s thread, and iptables runs
    /// as `nsenter --net=SANDBOXKEY iptables-restore` started from there.
    /// </summary>
    public EmbeddedResolver(NetNamespace managed, ILogger<EmbeddedResolver> logger, EmbeddedResolverOptions? options = null)
        : this(open => managed.Run(open), NsenterRunner(managed), logger, options)
    {
    }

    /// <summary>
    /// For hosts of the resolver that are not a <see cref="NetNamespace"/>.
    /// </summary>
    /// <param name="inManagedNamespace">Runs the socket factory in the namespace upstream queries leave from.</param>
    /// <param name="runInNetns">Runs a program (args[0]) inside the network namespace file given first, with optional stdin.</param>
    public EmbeddedResolver(
        Func<Func<Socket>, Socket> inManagedNamespace,
        Func<string, IReadOnlyList<string>, string?, ProcessResult> runInNetns,
        ILogger<EmbeddedResolver> logger,
        EmbeddedResolverOptions? options = null)
    {
        _inManaged = inManagedNamespace;
        _runInNetns = runInNetns;
        _logger = logger;
        _options = options ?? new EmbeddedResolverOptions();
        _forwarder = new UpstreamForwarder(_inManaged, _options);
    }

    /// <summary>A snapshot for the dashboard; each counter only grows (except Sandboxes).</summary>
    public EmbeddedResolverCounters Counters
    {
        get
        {
            int sandboxes;
            lock (_lock) sandboxes = _listeners.Count;
            return new EmbeddedResolverCounters(sandboxes, Interlocked.Read(ref _queries), Interlocked.Read(ref _localAnswers),
                Interlocked.Read(ref _forwards), Interlocked.Read(ref _forwardFailures), Interlocked.Read(ref _malformed),
                Interlocked.Read(ref _attachFailures));
        }
    }

    /// <summary>Starts answering in the sandbox; a failure is logged and counted, not thrown (as dockerd).</summary>
    public void Attach(SandboxInfo sandbox, string containerId, IDnsDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(directory);
        var target = new SandboxListener.Target(containerId, directory);
        lock (_gates.GetOrAdd(sandbox.Id, _ => new object()))
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_listeners.TryGetValue(sandbox.Id, out var existing))
                {
                    existing.Retarget(target);
                    return;
                }
            }
            SandboxListener listener;
            try
            {
                listener = Open(sandbox.Key, target);
            }
            catch (Exception e)
            {
                // dockerd logs "Resolver Setup/Start failed" and keeps the container running without names; so do we
                // (the container's own start must not depend on iptables in its namespace). The counter shows it.
                Interlocked.Increment(ref _attachFailures);
                _logger.LogWarning(e, "embedded DNS for sandbox {Id} could not start", sandbox.Id);
                return;
            }
            lock (_lock)
            {
                if (_disposed)
                {
                    listener.Dispose();
                    throw new ObjectDisposedException(nameof(EmbeddedResolver));
                }
                _listeners[sandbox.Id] = listener;
            }
            _logger.LogDebug("embedded DNS for {Container} in {Key}: udp {Udp}, tcp {Tcp}", containerId, sandbox.Key, listener.UdpPort, listener.TcpPort);
        }
    }

    public void Detach(SandboxInfo sandbox, string containerId)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        if (!_gates.TryGetValue(sandbox.Id, out var gate)) return;
        lock (gate)
        {
            SandboxListener? listener;
            lock (_lock)
            {
                if (!_listeners.Remove(sandbox.Id, out listener)) return;
            }
            // Closing the sockets also drops their reference on the namespace, so it can go away with the sandbox.
            listener.Dispose();
            _gates.TryRemove(sandbox.Id, out _);
            // An owned namespace is deleted with the sandbox and takes its rules along; a shared one keeps living.
            if (!sandbox.OwnsNetwork && File.Exists(sandbox.Key)) RemoveNat(sandbox.Key);
            _logger.LogDebug("embedded DNS for {Container} stopped", containerId);
        }
    }

    public void Dispose()
    {
        List<SandboxListener> all;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            all = [.. _listeners.Values];
            _listeners.Clear();
        }
        foreach (var l in all) l.Dispose();
    }

    /// <summary>The ports of a sandbox's listeners (tests, diagnostics).</summary>
    internal (int Udp, int Tcp)? PortsOf(string sandboxId)
    {
        lock (_lock) return _listeners.TryGetValue(sandboxId, out var l) ? (l.UdpPort, l.TcpPort) : null;
    }

    private SandboxListener Open(string key, SandboxListener.Target target)
    {
        var (udp, tcp) = BindInNamespace(key);
        try
        {
            var nat = Must(_runInNetns(key, ["iptables-save", "-t", "nat"], null), key, "iptables-save -t nat");
            var tcpPort = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            var udpPort = ((IPEndPoint)udp.LocalEndPoint!).Port;
            Must(_runInNetns(key, ["iptables-restore", "--noflush"], ResolverNat.Install(tcpPort, udpPort, nat)), key, "iptables-restore");
            var listener = new SandboxListener(key, udp, tcp, target, _options, OnQueryAsync, e =>
            {
                // ARSoft reports a packet it cannot parse this way (and drops it); nothing else reaches here in practice.
                Interlocked.Increment(ref _malformed);
                _logger.LogDebug(e, "embedded DNS in {Key}", key);
            });
            listener.Start();
            return listener;
        }
        catch
        {
            udp.Dispose();
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens both sockets on a throwaway thread that setns's into the sandbox (a socket belongs to its creator's
    /// namespace for life); the thread ends there, so nothing else ever runs in that namespace.
    /// </summary>
    private static (Socket Udp, Socket Tcp) BindInNamespace(string key) => DedicatedThread.Run("dns in " + key, () =>
    {
        using (var ns = File.OpenHandle(key)) Native.SetNetNamespace(ns);
        var any = new IPEndPoint(IPAddress.Parse(ResolverNat.Address), 0);
        var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            udp.Bind(any);
            tcp.Bind(any);
            tcp.Listen(128);
            return (udp, tcp);
        }
        catch
        {
            udp.Dispose();
            tcp.Dispose();
            throw;
        }
    });

    private void RemoveNat(string key)
    {
        try
        {
            var nat = Must(_runInNetns(key, ["iptables-save", "-t", "nat"], null), key, "iptables-save -t nat");
            var batch = ResolverNat.Remove(nat);
            if (batch.Length > 0) Must(_runInNetns(key, ["iptables-restore", "--noflush"], batch), key, "iptables-restore");
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "removing the embedded DNS rules in {Key} failed", key);
        }
    }

    private static string Must(ProcessResult r, string key, string what) => r.ExitCode == 0
        ? r.StdOut
        : throw new InvalidOperationException($"{what} in {key} failed ({r.ExitCode}): {r.StdErr.Trim()}");

    private static Func<string, IReadOnlyList<string>, string?, ProcessResult> NsenterRunner(NetNamespace managed)
    {
        var nsenter = new[] { "/usr/bin/nsenter", "/bin/nsenter", "/usr/sbin/nsenter", "/sbin/nsenter" }.FirstOrDefault(File.Exists) ?? "nsenter";
        return (netns, args, stdin) =>
        {
            var r = managed.RunProcess(nsenter, ["--net=" + netns, .. args], stdin);
            return new ProcessResult(r.ExitCode, r.Stdout, r.Stderr);
        };
    }
}
