using System.Runtime.ExceptionServices;
using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Namespaces;

/// <summary>Creates something that belongs to another network namespace for life, such as a netlink socket.</summary>
internal static class NamespaceThread
{
    /// <summary>
    /// Runs <paramref name="create"/> inside the namespace file <paramref name="netnsPath"/> and returns its result.
    /// </summary>
    /// <remarks>
    /// setns(2) switches only the calling thread, so a throwaway thread enters the namespace, creates the object
    /// (a socket belongs to the namespace of its creator for life) and exits there: never a pool thread, and no
    /// restore that could fail. The thread's OS thread ends with it, so nothing else ever runs in that namespace.
    /// </remarks>
    public static T Create<T>(string netnsPath, string name, Func<T> create)
    {
        T? created = default;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (var target = File.OpenHandle(netnsPath)) Native.SetNetNamespace(target);
                created = create();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 256 * 1024) { IsBackground = true, Name = name };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return created!;
    }
}
