using System.Net;

namespace NetPortal.Api.Daemon;

/// <summary>One -H value: a unix socket path or a TCP endpoint.</summary>
public sealed record ListenAddress(string? SocketPath, IPEndPoint? Tcp)
{
    public static ListenAddress Parse(string host)
    {
        if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = host["unix://".Length..];
            if (path.Length == 0 || path[0] != '/') throw new DaemonStartupException($"invalid unix socket address {host}: an absolute path is needed");
            return new ListenAddress(path, null);
        }
        if (host.StartsWith("tcp://", StringComparison.Ordinal))
        {
            var rest = host["tcp://".Length..].TrimEnd('/');
            if (!IPEndPoint.TryParse(rest, out var ep) || ep.Port == 0 || !rest.Contains(':'))
                throw new DaemonStartupException($"invalid tcp address {host}: expected tcp://IP:PORT");
            return new ListenAddress(null, ep);
        }
        throw new DaemonStartupException($"invalid daemon address {host}: only unix:// and tcp:// are supported");
    }
}
