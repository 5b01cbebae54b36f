using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;

namespace NetPortal.Kernel.Tests;

/// <summary>
/// A real netportald process managing a private network namespace that this fixture names (the daemon creates it)
/// and removes afterwards. The API listens on a unix socket in a temp folder; nothing touches the root namespace.
/// </summary>
public sealed class DaemonProcess : IAsyncLifetime
{
    private Process? _process;
    private readonly string _dir = Directory.CreateTempSubdirectory("npk-").FullName;

    public string Netns { get; } = "npk-" + Guid.NewGuid().ToString("N")[..10];
    public string Socket => Path.Combine(_dir, "np.sock");
    public string DockerHost => "unix://" + Socket;
    public string DataRoot => Path.Combine(_dir, "data");
    public string? ConfigJson { get; init; }
    public string[] ExtraArgs { get; init; } = [];
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";
    private string LogPath => Path.Combine(_dir, "daemon.log");

    public async Task InitializeAsync() => await StartAsync();

    public async Task StartAsync()
    {
        var args = new List<string> { DaemonDll, "-H", DockerHost, "--netns", Netns, "--data-root", DataRoot, "--log-level", "debug" };
        args.AddRange(ExtraArgs);
        if (ConfigJson is not null)
        {
            var cfg = Path.Combine(_dir, "daemon.json");
            await File.WriteAllTextAsync(cfg, ConfigJson);
            args.Add("--config");
            args.Add(cfg);
        }
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = _dir;
        _process = Process.Start(psi)!;
        var log = File.AppendText(LogPath);
        log.AutoFlush = true;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"daemon exited with {_process.ExitCode}:\n{Log}");
            if (File.Exists(Socket) && Ping()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("daemon did not answer /_ping:\n" + Log);
    }

    private bool Ping()
    {
        try
        {
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            s.Connect(new UnixDomainSocketEndPoint(Socket));
            s.Send("GET /_ping HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n"u8);
            var buf = new byte[256];
            var n = s.Receive(buf);
            return n > 0 && System.Text.Encoding.ASCII.GetString(buf, 0, n).StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM and wait, as an operator stops dockerd.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        Shell.Run("kill", ["-TERM", _process.Id.ToString()]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(true);
        }
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        Shell.Run("ip", ["netns", "del", Netns]);
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>The real docker CLI against this daemon, with a throw-away client config.</summary>
    public Shell.Result Docker(params string[] args) =>
        Shell.Run("docker", args, new Dictionary<string, string> { ["DOCKER_HOST"] = DockerHost, ["DOCKER_CONFIG"] = Path.Combine(_dir, "docker-config") });

    /// <summary>`ip -j` inside the managed namespace, parsed.</summary>
    public JsonElement IpJson(params string[] args) =>
        JsonDocument.Parse(Shell.Run("ip", ["-n", Netns, "-j", .. args]).Ok().StdOut is { Length: > 0 } s ? s : "[]").RootElement;

    public string IptablesSave() => Shell.Run("ip", ["netns", "exec", Netns, "iptables-save"]).Ok().StdOut;

    private static string DaemonDll
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NetPortal.sln"))) dir = dir.Parent;
            if (dir is null) throw new InvalidOperationException("NetPortal.sln not found above " + AppContext.BaseDirectory);
#if DEBUG
            const string config = "Debug";
#else
            const string config = "Release";
#endif
            return Path.Combine(dir.FullName, "api", "NetPortal.Api", "bin", config, "net10.0", "netportald.dll");
        }
    }
}
