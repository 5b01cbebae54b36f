using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using DnsClient;
using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Dns;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Namespaces;
using NetPortal.Linux.Tests.Kernel;

namespace NetPortal.Linux.Tests.Dns;

/// <summary>
/// A stand-in sandbox namespace and a stand-in managed namespace (both `ip netns add nptest-dns-*`, lo up), and the
/// resolver under test wired to the managed one. Upstream stubs run inside the managed namespace, so every packet of
/// these tests stays inside namespaces the test made.
/// </summary>
internal sealed class DnsTestBed : IDisposable
{
    private readonly List<IDisposable> _cleanup = [];

    public string SandboxName { get; } = "nptest-dns-" + Guid.NewGuid().ToString("N")[..8];
    public string ManagedName { get; } = "nptest-dns-" + Guid.NewGuid().ToString("N")[..8];
    public NetNamespace Managed { get; }
    public SandboxInfo Sandbox { get; }
    public EmbeddedResolver Resolver { get; }
    public FakeDnsDirectory Directory { get; } = new();
    public const string ContainerId = "c0ffee0000000000000000000000000000000000000000000000000000000001";

    public DnsTestBed(EmbeddedResolverOptions? options = null, bool ownsNetwork = true)
    {
        Ip.Must("netns", "add", SandboxName);
        Ip.Must("-n", SandboxName, "link", "set", "lo", "up");
        Managed = NetNamespace.Open(ManagedName);
        Ip.Must("-n", ManagedName, "link", "set", "lo", "up");
        Sandbox = new SandboxInfo(Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), Path.Combine(NetNamespace.RunDirectory, SandboxName), Path.GetTempPath(), ownsNetwork);
        Resolver = new EmbeddedResolver(Managed, NullLogger<EmbeddedResolver>.Instance, options);
    }

    public void Attach() => Resolver.Attach(Sandbox, ContainerId, Directory);

    /// <summary>Runs <paramref name="work"/> on a throwaway thread inside the namespace file (sockets it makes stay there).</summary>
    public static T InNetns<T>(string path, Func<T> work)
    {
        T result = default!;
        Exception? error = null;
        var t = new Thread(() =>
        {
            try
            {
                using (var ns = File.OpenHandle(path)) Native.SetNetNamespace(ns);
                result = work();
            }
            catch (Exception e) { error = e; }
        });
        t.Start();
        t.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        return result;
    }

    public T InSandbox<T>(Func<T> work) => InNetns(Sandbox.Key, work);

    /// <summary>A DnsClient.NET lookup client against 127.0.0.11:53, no cache, no retries, errors as responses.</summary>
    public static LookupClient Client(bool tcp = false, int timeoutMs = 2000) =>
        new(new LookupClientOptions(new NameServer(IPAddress.Parse("127.0.0.11"), 53))
        {
            UseCache = false,
            Retries = 0,
            Timeout = TimeSpan.FromMilliseconds(timeoutMs),
            UseTcpOnly = tcp,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
        });

    /// <summary>One synchronous query from inside the sandbox namespace (the client's sockets are created there).</summary>
    public IDnsQueryResponse Query(string name, QueryType type, bool tcp = false, int timeoutMs = 2000) =>
        InSandbox(() => Client(tcp, timeoutMs).Query(name, type));

    /// <summary>
    /// An ARSoft server on <paramref name="address"/>:53 (UDP and TCP) inside the managed namespace. It answers every A
    /// question with <paramref name="answer"/>, or with <paramref name="code"/> when that is not NoError.
    /// </summary>
    public StubUpstream StartUpstream(string address, IPAddress? answer, ReturnCode code = ReturnCode.NoError)
    {
        var stub = new StubUpstream(Managed, IPAddress.Parse(address), answer, code);
        _cleanup.Add(stub);
        return stub;
    }

    /// <summary>A UDP socket on <paramref name="address"/>:53 in the managed namespace that never answers.</summary>
    public void StartSilentUpstream(string address)
    {
        var s = Managed.Run(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(address), 53));
            return socket;
        });
        _cleanup.Add(s);
    }

    public static (int Code, string Out, string Err) Run(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o.Result, e);
    }

    public string NatTable() => Run("nsenter", "--net=" + Sandbox.Key, "iptables-save", "-t", "nat").Out;

    public void Dispose()
    {
        Resolver.Dispose();
        foreach (var c in _cleanup) c.Dispose();
        Managed.Delete();
        Ip.Run("netns", "del", SandboxName);
    }
}
