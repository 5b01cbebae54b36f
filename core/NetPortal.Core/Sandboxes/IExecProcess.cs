namespace NetPortal.Core.Sandboxes;

/// <summary>A process started by exec, with its standard streams.</summary>
public interface IExecProcess : IAsyncDisposable
{
    int Pid { get; }
    /// <summary>Null unless stdin was asked for.</summary>
    Stream? StandardInput { get; }
    Stream StandardOutput { get; }
    Stream StandardError { get; }
    /// <summary>Completes with the exit code (128+signal when killed by a signal).</summary>
    Task<int> Exited { get; }

    /// <summary>SIGKILL; an exec does not outlive its container.</summary>
    void Kill();
}
