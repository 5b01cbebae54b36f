using System.Net;
using System.Net.Sockets;

namespace NetPortal.Web.Hosting;

/// <summary>An API address in -H syntax turned into an HttpClient base address and, for unix sockets, a connect callback.</summary>
internal sealed record ApiEndpoint(Uri BaseAddress, string? SocketPath)
{
    public static ApiEndpoint Parse(string address)
    {
        if (address.StartsWith("unix://", StringComparison.Ordinal))
            return new ApiEndpoint(new Uri("http://localhost/"), address["unix://".Length..]);
        if (address.StartsWith("tcp://", StringComparison.Ordinal))
        {
            var ep = IPEndPoint.Parse(address["tcp://".Length..].TrimEnd('/'));
            // A wildcard listener is reached through loopback, the way a local client reaches dockerd's 0.0.0.0.
            if (ep.Address.Equals(IPAddress.Any)) ep.Address = IPAddress.Loopback;
            if (ep.Address.Equals(IPAddress.IPv6Any)) ep.Address = IPAddress.IPv6Loopback;
            return new ApiEndpoint(new Uri($"http://{ep}/"), null);
        }
        var uri = new Uri(address.EndsWith('/') ? address : address + "/");
        return new ApiEndpoint(uri, null);
    }

    public SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (SocketPath is { } path)
        {
            handler.ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                    return new NetworkStream(s, ownsSocket: true);
                }
                catch
                {
                    s.Dispose();
                    throw;
                }
            };
        }
        return handler;
    }
}
