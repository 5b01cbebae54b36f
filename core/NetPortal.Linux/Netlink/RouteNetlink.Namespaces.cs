using System.Runtime.ExceptionServices;
using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

public sealed partial class RouteNetlink
{
    /// <summary>
    /// Opens a socket inside the network namespace file <paramref name="netnsPath"/> (e.g. a sandbox key);
    /// usable from any thread afterwards, and it keeps that namespace alive until disposed.
    /// </summary>
    public static RouteNetlink OpenIn(string netnsPath)
    {
        // setns(2) switches only the calling thread, so a throwaway thread enters the namespace, creates the socket
        // (a socket belongs to the namespace of its creator for life) and exits there: never a pool thread, and no
        // restore that could fail. The thread's OS thread ends with it, so nothing else ever runs in that namespace.
        RouteNetlink? opened = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (var target = File.OpenHandle(netnsPath)) Native.SetNetNamespace(target);
                opened = OpenCurrent();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 256 * 1024) { IsBackground = true, Name = "netlink in " + netnsPath };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return opened!;
    }
}
