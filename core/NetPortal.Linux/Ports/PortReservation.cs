using System.Net.Sockets;
using NetPortal.Core.Ports;
using NetPortal.Linux.Namespaces;

namespace NetPortal.Linux.Ports;

/// <summary>
/// dockerd's dummy proxy for --userland-proxy=false: the host port is bound (TCP also listening, never accepting)
/// so no other program can take it while NAT serves it, and a taken port fails the same way as with the proxy.
/// Packets to it are DNATed before they reach the socket (PREROUTING/OUTPUT), except a [::] twin of an
/// IPv4-only container, which nothing serves, as in dockerd.
/// </summary>
internal sealed class PortReservation(Socket socket) : IDisposable
{
    public static PortReservation Bind(NetNamespace ns, PortMapping mapping) => new(PortSockets.Listen(ns, mapping));

    public void Dispose() => socket.Dispose();
}
