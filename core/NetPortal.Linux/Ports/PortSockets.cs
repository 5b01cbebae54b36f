using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NetPortal.Core.Errors;
using NetPortal.Core.Ports;
using NetPortal.Linux.Namespaces;

namespace NetPortal.Linux.Ports;

/// <summary>Sockets for published ports, created on the managed namespace's thread (a socket's netns is fixed at creation).</summary>
internal static class PortSockets
{
    public static IPEndPoint HostEndPoint(PortMapping m) => new(Parse(m.HostIp), m.HostPort);

    public static IPEndPoint ContainerEndPoint(PortMapping m) => new(Parse(m.ContainerIp), m.ContainerPort);

    /// <summary>
    /// Binds (and for TCP listens on) the host side in the managed namespace. Failures carry Go's net error shape,
    /// as docker-proxy/dockerd report them: "listen tcp4 0.0.0.0:8080: bind: address already in use".
    /// </summary>
    public static Socket Listen(NetNamespace ns, PortMapping m)
    {
        var endpoint = HostEndPoint(m);
        return ns.Run(() =>
        {
            var socket = Create(endpoint.AddressFamily, m.Protocol);
            try
            {
                if (m.Protocol == "tcp")
                {
                    // Go's listeners set SO_REUSEADDR: a port with connections in TIME_WAIT can be published again at once.
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                }

                socket.Bind(endpoint);
                if (m.Protocol == "tcp")
                {
                    socket.Listen(4096);
                }

                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw NetPortalException.Internal($"listen {Network(m)} {Format(endpoint)}: bind: {Describe(e)}", e);
            }
        });
    }

    /// <summary>A socket for the container side, born in the managed namespace where the bridge (and so the container) is reachable.</summary>
    public static Socket Connector(NetNamespace ns, AddressFamily family, string protocol) => ns.Run(() => Create(family, protocol));

    private static Socket Create(AddressFamily family, string protocol)
    {
        var socket = protocol == "tcp"
            ? new Socket(family, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        if (family == AddressFamily.InterNetworkV6)
        {
            // tcp6/udp6 as docker-proxy: IPV6_V6ONLY, so [::]:8080 and 0.0.0.0:8080 are two separate sockets.
            socket.DualMode = false;
        }

        if (protocol == "tcp")
        {
            // Go enables TCP_NODELAY on every connection; small interactive writes are not held back by the proxy.
            socket.NoDelay = true;
        }

        return socket;
    }

    /// <summary>Go's network name: tcp4, tcp6, udp4, udp6.</summary>
    public static string Network(PortMapping m) => m.Protocol + (m.HostIp.Contains(':') ? "6" : "4");

    public static string Format(IPEndPoint e) =>
        e.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{e.Address}]:{e.Port.ToString(CultureInfo.InvariantCulture)}" : e.ToString();

    /// <summary>strerror as Go prints it (lower case).</summary>
    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "cannot assign requested address",
        SocketError.AccessDenied => "permission denied",
        _ => e.Message.Length > 0 ? char.ToLowerInvariant(e.Message[0]) + e.Message[1..] : e.SocketErrorCode.ToString(),
    };

    private static IPAddress Parse(string ip) =>
        IPAddress.TryParse(ip, out var a) ? a : throw NetPortalException.InvalidParameter($"invalid address {ip}");
}
