using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NetPortal.Web.Tests.EndToEnd;

/// <summary>
/// A real netportald process (as tests/NetPortal.Kernel.Tests/DaemonProcess.cs starts it) managing a private network
/// namespace, listening on a unix socket for the docker CLI and on a free loopback port for the browser.
/// Everything it creates (containers, namespace, temp folder) is removed afterwards.
/// </summary>
public sealed class DashboardDaemon : IAsyncLifetime
{
    private Process? _process;
    private readonly string _dir = Directory.CreateTempSubdirectory("npweb-").FullName;

    public string Netns { get; } = "npweb-" + Guid.NewGuid().ToString("N")[..10];
    public int Port { get; } = FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}/";
    public string Socket => Path.Combine(_dir, "np.sock");
    public string DockerHost => "unix://" + Socket;
    private string LogPath => Path.Combine(_dir, "daemon.log");
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    public async Task InitializeAsync()
    {
        var args = new List<string> { DaemonDll, "-H", DockerHost, "-H", $"tcp://127.0.0.1:{Port}", "--netns", Netns,
            "--data-root", Path.Combine(_dir, "data"), "--exec-root", Path.Combine(_dir, "exec") };
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

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"daemon exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync(BaseUrl + "_ping")).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("daemon did not answer /_ping:\n" + Log);
    }

    /// <summary>The real docker CLI against this daemon, with a throw-away client config.</summary>
    public (int ExitCode, string Output) Docker(params string[] args)
    {
        var psi = new ProcessStartInfo("docker") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOCKER_HOST"] = DockerHost;
        psi.Environment["DOCKER_CONFIG"] = Path.Combine(_dir, "docker-config");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            throw new TimeoutException("docker " + string.Join(' ', args));
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    public string DockerOk(params string[] args)
    {
        var (code, output) = Docker(args);
        Assert.True(code == 0, $"docker {string.Join(' ', args)} exited {code}: {output}");
        return output;
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            try
            {
                var ids = Docker("ps", "-aq", "--no-trunc").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Where(l => l.Length == 64).ToArray();
                if (ids.Length > 0) Docker(["rm", "-f", .. ids]);
            }
            catch (TimeoutException)
            {
            }
            Run("kill", "-TERM", _process.Id.ToString());
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await _process.WaitForExitAsync(cts.Token); } catch (OperationCanceledException) { _process.Kill(true); }
        }
        Run("ip", "netns", "del", Netns);
        foreach (var m in MountsUnder(_dir).OrderByDescending(m => m.Length)) Run("umount", "-l", m);
        try { Directory.Delete(_dir, true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit(30_000);
    }

    private static List<string> MountsUnder(string dir) =>
        File.ReadAllLines("/proc/self/mountinfo").Select(l => System.Text.RegularExpressions.Regex.Replace(l.Split(' ')[4], @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString()))
            .Where(m => m == dir || m.StartsWith(dir + "/", StringComparison.Ordinal)).Distinct().ToList();

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

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
