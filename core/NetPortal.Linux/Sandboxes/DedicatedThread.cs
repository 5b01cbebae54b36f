namespace NetPortal.Linux.Sandboxes;

/// <summary>
/// setns(2)/unshare(2) of CLONE_NEWNET change only the calling thread, so such work runs on a fresh thread that is
/// thrown away afterwards (a pool thread would carry the namespace into unrelated work).
/// </summary>
internal static class DedicatedThread
{
    public static T Run<T>(string name, Func<T> work)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { error = e; }
        }) { IsBackground = true, Name = name };
        thread.Start();
        thread.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        return result;
    }
}
