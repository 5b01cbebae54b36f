using System.Diagnostics;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Linux.Sandboxes;

/// <summary>An exec'd command: the pipes of the nsenter child, which became the command by exec.</summary>
internal sealed class SandboxExecProcess : IExecProcess
{
    private readonly Process _process;

    public SandboxExecProcess(Process process, bool attachStdin)
    {
        _process = process;
        Pid = process.Id;
        StandardInput = attachStdin ? process.StandardInput.BaseStream : null;
        StandardOutput = process.StandardOutput.BaseStream;
        StandardError = process.StandardError.BaseStream;
        Exited = WaitAsync(process);
    }

    public int Pid { get; }
    public Stream? StandardInput { get; }
    public Stream StandardOutput { get; }
    public Stream StandardError { get; }
    public Task<int> Exited { get; }

    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static async Task<int> WaitAsync(Process process)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode; // 128+signal when killed by a signal
    }

    /// <summary>Releases our ends of the pipes; the command is not killed (Docker leaves exec'd processes running).</summary>
    public ValueTask DisposeAsync()
    {
        StandardInput?.Dispose();
        StandardOutput.Dispose();
        StandardError.Dispose();
        // Disposing the Process under a pending WaitForExitAsync would fault it; let the exit do it.
        Exited.ContinueWith(_ => _process.Dispose(), TaskScheduler.Default);
        return ValueTask.CompletedTask;
    }
}
