using System.Diagnostics;
using NetPortal.Linux.Firewall;

namespace NetPortal.Linux.Tests.Firewall;

/// <summary>
/// A fresh `ip netns add npfw-RANDOM` namespace and a runner that executes programs in it via nsenter,
/// so iptables never runs in the root namespace. Deleting the namespace drops all of its rules.
/// </summary>
internal sealed class FirewallNamespace : IDisposable
{
    public string Name { get; } = "npfw-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Every program the firewall ran, to check the number of processes per call.</summary>
    public List<string> Runs { get; } = [];

    public FirewallNamespace() => Exec("ip", ["netns", "add", Name], null).EnsureSuccess("ip netns add");

    /// <summary>The delegate IptablesFirewall takes.</summary>
    public ProcessResult Run(string file, IReadOnlyList<string> args, string? stdin)
    {
        Runs.Add(file);
        return Exec("nsenter", [$"--net=/var/run/netns/{Name}", file, .. args], stdin);
    }

    /// <summary>Runs iptables/ip6tables directly in the namespace, as a user (or the test) would.</summary>
    public string Iptables(string file, params string[] args) =>
        Exec("nsenter", [$"--net=/var/run/netns/{Name}", file, .. args], null).EnsureSuccess(file).StdOut;

    /// <summary>The kernel's view: iptables-save without comments, counters zeroed.</summary>
    public string Save(string file = "iptables-save") => Golden.Normalize(Iptables(file));

    public void Dispose() => Exec("ip", ["netns", "del", Name], null);

    internal static ProcessResult Exec(string file, IReadOnlyList<string> args, string? stdin)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        // No async reads: they complete on the thread pool, which concurrent blocked callers may have exhausted.
        var stderr = "";
        var drain = new Thread(() => stderr = process.StandardError.ReadToEnd()) { IsBackground = true };
        drain.Start();
        process.StandardInput.Write(stdin ?? "");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEnd();
        drain.Join();
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout, stderr);
    }
}

internal static class ProcessResultExtensions
{
    public static ProcessResult EnsureSuccess(this ProcessResult result, string what) =>
        result.ExitCode == 0 ? result : throw new InvalidOperationException($"{what} failed ({result.ExitCode}): {result.StdErr}");
}
