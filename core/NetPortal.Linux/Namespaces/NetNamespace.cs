using System.Collections.Concurrent;
using System.Diagnostics;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Namespaces;

/// <summary>
/// The managed network namespace. setns(2) switches only the calling thread, so one dedicated thread
/// enters the namespace once and stays there; work that must happen "inside" (opening netlink sockets,
/// /proc/sys/net writes, starting child processes) is queued to it with <see cref="Run{T}"/>.
/// </summary>
public sealed class NetNamespace : IDisposable
{
    public const string RunDirectory = "/var/run/netns";

    private readonly BlockingCollection<Action> _queue = new();
    private readonly Thread _worker;
    private int _disposed;

    /// <summary>The namespace file (a bind mount of an nsfs inode), e.g. /var/run/netns/NAME.</summary>
    public string Path { get; }

    /// <summary>True when this instance created the namespace file (only then may <see cref="Delete"/> remove it).</summary>
    public bool Owned { get; }

    private NetNamespace(string path, bool create)
    {
        Path = path;
        Owned = create;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _worker = new Thread(() => Work(create, ready)) { IsBackground = true, Name = "netns " + path };
        _worker.Start();
        ready.Task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// A NAME (no '/') means /var/run/netns/NAME, created like `ip netns add` when missing;
    /// a PATH must already exist (e.g. /proc/1/ns/net or a container's namespace file).
    /// </summary>
    public static NetNamespace Open(string nameOrPath)
    {
        if (nameOrPath.Contains('/'))
        {
            if (!File.Exists(nameOrPath)) throw new FileNotFoundException($"network namespace {nameOrPath} does not exist", nameOrPath);
            return new NetNamespace(nameOrPath, create: false);
        }
        if (nameOrPath is "" or "." or ".." ) throw new ArgumentException($"invalid namespace name {nameOrPath}", nameof(nameOrPath));
        var path = System.IO.Path.Combine(RunDirectory, nameOrPath);
        return new NetNamespace(path, create: !File.Exists(path));
    }

    /// <summary>Runs <paramref name="work"/> on the thread that lives in the namespace and returns its result.</summary>
    public T Run<T>(Func<T> work)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Thread.CurrentThread == _worker) return work();
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            try { done.SetResult(work()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task.GetAwaiter().GetResult();
    }

    public void Run(Action work) => Run(() => { work(); return true; });

    /// <summary>Opens an rtnetlink socket inside the namespace; it may then be used from any thread.</summary>
    public RouteNetlink OpenRouteNetlink() => Run(RouteNetlink.OpenCurrent);

    /// <summary>
    /// Runs a program inside the namespace and waits for it. fork() copies the calling thread's
    /// namespaces, so a child started from the worker thread is born in the managed namespace.
    /// </summary>
    public (int ExitCode, string Stdout, string Stderr) RunProcess(string file, string[] args, string? stdin)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Run(() => Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}"));
        // stderr is drained by a dedicated thread, stdout on this one: async reads would need a thread-pool
        // thread to complete, and callers (request threads, the firewall's group commit) may have blocked them all.
        string stderr = "";
        var drain = new Thread(() => stderr = process.StandardError.ReadToEnd()) { IsBackground = true, Name = "stderr " + file };
        drain.Start();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEnd();
        drain.Join();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr);
    }

    /// <summary>
    /// Writes /proc/sys/... from the worker thread: the net.* sysctl tree is looked up in the
    /// opening task's (thread's) network namespace, not the process's.
    /// </summary>
    public void WriteSysctl(string key, string value) => Run(() =>
    {
        using var f = new FileStream(SysctlPath(key), FileMode.Open, FileAccess.Write);
        var bytes = System.Text.Encoding.ASCII.GetBytes(value + "\n");
        f.Write(bytes);
    });

    public string ReadSysctl(string key) => Run(() => File.ReadAllText(SysctlPath(key)).TrimEnd('\n'));

    private static string SysctlPath(string key)
    {
        if (key.Contains("..") || key.StartsWith('.') || key.Contains('/')) throw new ArgumentException($"invalid sysctl key {key}", nameof(key));
        return "/proc/sys/" + key.Replace('.', '/');
    }

    /// <summary>Removes a namespace this instance created, as `ip netns del` does (lazy unmount, then unlink).</summary>
    public void Delete()
    {
        if (!Owned) throw new InvalidOperationException($"network namespace {Path} was not created by NetPortal");
        Dispose();
        Native.Unmount(Path, Native.MNT_DETACH);
        File.Delete(Path);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue.CompleteAdding();
        _worker.Join();
        _queue.Dispose();
    }

    private void Work(bool create, TaskCompletionSource ready)
    {
        try
        {
            if (create) CreateOnThisThread(Path);
            else
            {
                using var target = File.OpenHandle(Path);
                Native.SetNetNamespace(target);
            }
        }
        catch (Exception e)
        {
            ready.SetException(e);
            return;
        }
        ready.SetResult();
        // The thread never switches back: it exits (leaving the process's other threads untouched) on Dispose.
        foreach (var work in _queue.GetConsumingEnumerable()) work();
    }

    /// <summary>Mirrors iproute2's netns_add: shared /var/run/netns, empty file, unshare, bind-mount the new ns.</summary>
    private static void CreateOnThisThread(string path)
    {
        var dir = System.IO.Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        // A shared mount propagates the bind mounts to mount namespaces created later (e.g. containers);
        // when the directory is not a mount point yet, bind it onto itself first (EINVAL), like iproute2.
        if (Native.TryMount("", dir, "none", Native.MS_SHARED | Native.MS_REC) == Errno.EINVAL)
        {
            Native.Mount(dir, dir, "none", Native.MS_BIND | Native.MS_REC, $"mount --bind {dir}");
            Native.Mount("", dir, "none", Native.MS_SHARED | Native.MS_REC, $"mount --make-shared {dir}");
        }
        using (new FileStream(path, FileMode.CreateNew, FileAccess.Write)) { }
        try
        {
            Native.UnshareNetNamespace();
            // The namespace lives as long as something references it; the bind mount is that reference.
            Native.Mount($"/proc/thread-self/ns/net", path, "none", Native.MS_BIND, $"mount --bind netns {path}");
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
