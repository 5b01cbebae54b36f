using System.IO.Pipelines;
using System.Text;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Api.Tests.Infrastructure;

/// <summary>An exec'd process whose output a test writes and whose input a test reads.</summary>
public sealed class FakeExecProcess : IExecProcess
{
    private readonly Pipe _stdout = new();
    private readonly Pipe _stderr = new();
    private readonly Pipe _stdin = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _done;

    public FakeExecProcess(int pid, bool attachStdin, ProcessSpec spec)
    {
        Pid = pid;
        Spec = spec;
        StandardInput = attachStdin ? _stdin.Writer.AsStream() : null;
        StandardOutput = _stdout.Reader.AsStream();
        StandardError = _stderr.Reader.AsStream();
    }

    public int Pid { get; }
    public ProcessSpec Spec { get; }
    public Stream? StandardInput { get; }
    public Stream StandardOutput { get; }
    public Stream StandardError { get; }
    public Task<int> Exited => _exited.Task;
    public bool Disposed { get; private set; }

    public async Task WriteStdout(string text) => await _stdout.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteStderr(string text) => await _stderr.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Everything the client sent on stdin, once the API closes the process's stdin.</summary>
    public async Task<string> ReadAllStdin()
    {
        using var reader = new StreamReader(_stdin.Reader.AsStream());
        return await reader.ReadToEndAsync();
    }

    /// <summary>Closes stdout and stderr, then completes Exited.</summary>
    public void Exit(int code)
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        _stdout.Writer.Complete();
        _stderr.Writer.Complete();
        _exited.TrySetResult(code);
    }

    public bool Killed { get; private set; }

    public void Kill()
    {
        Killed = true;
        Exit(137);
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
