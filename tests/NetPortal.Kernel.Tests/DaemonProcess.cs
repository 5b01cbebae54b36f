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
    /// <summary>Sandbox state (netns files, uts/mnt namespace files) of this daemon only, so parallel daemons never collide.</summary>
    public string ExecRoot => Path.Combine(_dir, "exec");
    public string? ConfigJson { get; init; }
    public string[] ExtraArgs { get; init; } = [];
    /// <summary>Environment variables set for the daemon process (e.g. a PATH without some program).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";
    private string LogPath => Path.Combine(_dir, "daemon.log");

    public async Task InitializeAsync() => await StartAsync();

    public async Task StartAsync()
    {
        var args = new List<string> { DaemonDll, "-H", DockerHost, "--netns", Netns, "--data-root", DataRoot, "--exec-root", ExecRoot, "--log-level", "debug" };
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
        foreach (var (k, v) in Environment) psi.Environment[k] = v;
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

    /// <summary>
    /// Removes every container of this daemon (so no sandbox process or namespace outlives the test), stops the
    /// daemon, deletes the managed namespace, then the temp folder, detaching any mount left below it first.
    /// </summary>
    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            try
            {
                var ids = Docker("ps", "-aq", "--no-trunc").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (ids.Length > 0) Docker(["rm", "-f", .. ids]);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
            }
        }
        await StopAsync();
        KillSandboxProcesses();
        Shell.Run("ip", ["netns", "del", Netns]);
        // Deepest first, lazily: a mount below a mount must go before its parent.
        foreach (var m in MountsUnder(_dir).OrderByDescending(m => m.Length)) Shell.Run("umount", ["-l", m]);
        try { Directory.Delete(_dir, true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Processes still in one of this daemon's sandboxes (when `docker rm -f` could not run, e.g. the daemon died):
    /// each sandbox's mount namespace is pinned by a file under our folder, so its inode names exactly our processes.
    /// </summary>
    private void KillSandboxProcesses()
    {
        var root = _dir.TrimEnd('/') + "/";
        var ours = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' '))
            .Where(f => f.Length > 4 && f[3].StartsWith("mnt:[", StringComparison.Ordinal) && Unescape(f[4]).StartsWith(root, StringComparison.Ordinal))
            .Select(f => f[3]).ToHashSet(StringComparer.Ordinal);
        if (ours.Count == 0) return;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string? ns;
            try { ns = new FileInfo(Path.Combine(dir, "ns", "mnt")).LinkTarget; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (ns is not null && ours.Contains(ns)) Shell.Run("kill", ["-KILL", pid.ToString()]);
        }
    }

    /// <summary>Mount points at or below dir in this process's mount namespace (/proc/self/mountinfo, field 5, octal escapes decoded).</summary>
    public static List<string> MountsUnder(string dir)
    {
        var root = dir.TrimEnd('/');
        return File.ReadAllLines("/proc/self/mountinfo")
            .Select(l => Unescape(l.Split(' ')[4]))
            .Where(m => m == root || m.StartsWith(root + "/", StringComparison.Ordinal))
            .Distinct()
            .ToList();
    }

    private static string Unescape(string s) =>
        System.Text.RegularExpressions.Regex.Replace(s, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());

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
