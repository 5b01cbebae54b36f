using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Sandboxes;

/// <summary>
/// Waits for processes that are not our children (adopted after a daemon restart): waitpid(2) cannot, but a pidfd
/// polls readable when its process exits. One thread and one epoll set serve every such process.
/// </summary>
internal sealed class PidfdWaiter
{
    public static readonly PidfdWaiter Shared = new();

    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, (int Fd, TaskCompletionSource Done)> _waits = [];
    private int _epoll = -1;
    private ulong _nextToken;

    private PidfdWaiter() { }

    /// <summary>Completes when <paramref name="pid"/> exits (at once when it is already gone).</summary>
    public Task WaitAsync(int pid, CancellationToken ct)
    {
        var fd = SandboxSyscalls.PidfdOpen(pid, out var error);
        if (fd < 0)
        {
            if (error == Errno.ESRCH) return Task.CompletedTask;
            throw new Netlink.NetlinkException(error, $"pidfd_open({pid})");
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ulong token;
        lock (_lock)
        {
            EnsureStarted();
            token = ++_nextToken;
            _waits[token] = (fd, done);
            try
            {
                SandboxSyscalls.EpollAdd(_epoll, fd, token); // epoll_ctl is safe while another thread sits in epoll_wait
            }
            catch
            {
                _waits.Remove(token);
                SandboxSyscalls.Close(fd);
                throw;
            }
        }
        if (ct.CanBeCanceled)
        {
            var reg = ct.Register(() => { if (Remove(token)) done.TrySetCanceled(ct); });
            done.Task.ContinueWith(_ => reg.Dispose(), TaskScheduler.Default);
        }
        return done.Task;
    }

    private bool Remove(ulong token)
    {
        lock (_lock)
        {
            if (!_waits.Remove(token, out var w)) return false;
            SandboxSyscalls.EpollRemove(_epoll, w.Fd);
            SandboxSyscalls.Close(w.Fd);
            return true;
        }
    }

    private void EnsureStarted()
    {
        if (_epoll >= 0) return;
        _epoll = SandboxSyscalls.EpollCreate();
        new Thread(Loop) { IsBackground = true, Name = "pidfd waiter" }.Start();
    }

    private void Loop()
    {
        Span<ulong> tokens = stackalloc ulong[32];
        while (true)
        {
            var n = SandboxSyscalls.EpollWait(_epoll, tokens);
            for (var i = 0; i < n; i++)
            {
                TaskCompletionSource? done = null;
                lock (_lock)
                {
                    if (_waits.TryGetValue(tokens[i], out var w)) done = w.Done;
                }
                if (done is not null && Remove(tokens[i])) done.TrySetResult();
            }
        }
    }
}
