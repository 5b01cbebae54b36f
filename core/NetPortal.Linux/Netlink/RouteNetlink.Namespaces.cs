namespace NetPortal.Linux.Netlink;

public sealed partial class RouteNetlink
{
    /// <summary>
    /// Opens a socket inside the network namespace file <paramref name="netnsPath"/> (e.g. a sandbox key);
    /// usable from any thread afterwards, and it keeps that namespace alive until disposed.
    /// </summary>
    public static RouteNetlink OpenIn(string netnsPath) =>
        Namespaces.NamespaceThread.Create(netnsPath, "netlink in " + netnsPath, OpenCurrent);
}
