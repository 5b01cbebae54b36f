using System.Net;
using System.Net.Sockets;
using NetPortal.Core.Errors;

namespace NetPortal.Core.Ports;

/// <summary>
/// Host ports in use by published mappings. A wildcard binding (0.0.0.0 or ::) conflicts with every address of its
/// family on the same port and protocol; ephemeral ports come from 32768–60999 (Linux's default local range).
/// </summary>
public sealed class PortAllocator
{
    public const int EphemeralStart = 32768;
    public const int EphemeralEnd = 60999;

    private readonly Lock _lock = new();
    private readonly HashSet<(string Proto, string HostIp, int Port)> _used = [];
    private int _cursor = EphemeralStart;

    /// <summary>A binding request: host port range [<paramref name="HostPortStart"/>, <paramref name="HostPortEnd"/>], 0 meaning ephemeral.</summary>
    public sealed record Request(string Protocol, string HostIp, int HostPortStart, int HostPortEnd, string ContainerIp, int ContainerPort);

    /// <summary>All or nothing; Docker's "Bind for IP:PORT failed: port is already allocated" on conflict.</summary>
    public IReadOnlyList<PortMapping> Allocate(IReadOnlyList<Request> requests)
    {
        lock (_lock)
        {
            var taken = new List<(string, string, int)>();
            try
            {
                var result = new List<PortMapping>();
                foreach (var r in requests)
                {
                    var port = r.HostPortStart == 0 ? NextEphemeral(r) : FirstFree(r);
                    var key = (r.Protocol, r.HostIp, port);
                    _used.Add(key);
                    taken.Add(key);
                    result.Add(new PortMapping(r.Protocol, r.HostIp, port, r.ContainerIp, r.ContainerPort));
                }
                return result;
            }
            catch
            {
                foreach (var k in taken) _used.Remove(k);
                throw;
            }
        }
    }

    public void Release(IEnumerable<PortMapping> mappings)
    {
        lock (_lock)
            foreach (var m in mappings) _used.Remove((m.Protocol, m.HostIp, m.HostPort));
    }

    /// <summary>Marks mappings of adopted containers as in use again after a restart.</summary>
    public void Restore(IEnumerable<PortMapping> mappings)
    {
        lock (_lock)
            foreach (var m in mappings) _used.Add((m.Protocol, m.HostIp, m.HostPort));
    }

    private int FirstFree(Request r)
    {
        for (var p = r.HostPortStart; p <= Math.Max(r.HostPortStart, r.HostPortEnd); p++)
            if (IsFree(r.Protocol, r.HostIp, p)) return p;
        throw NetPortalException.Internal($"Bind for {Format(r.HostIp)}:{r.HostPortStart} failed: port is already allocated");
    }

    private int NextEphemeral(Request r)
    {
        for (var i = 0; i <= EphemeralEnd - EphemeralStart; i++)
        {
            var p = _cursor;
            _cursor = _cursor >= EphemeralEnd ? EphemeralStart : _cursor + 1;
            if (IsFree(r.Protocol, r.HostIp, p)) return p;
        }
        throw NetPortalException.Internal($"Bind for {Format(r.HostIp)}:0 failed: no ephemeral port available");
    }

    private bool IsFree(string proto, string hostIp, int port)
    {
        if (_used.Contains((proto, hostIp, port))) return false;
        var family = Family(hostIp);
        foreach (var (p, ip, n) in _used)
        {
            if (p != proto || n != port || Family(ip) != family) continue;
            if (IsWildcard(ip) || IsWildcard(hostIp)) return false;
        }
        return true;
    }

    private static AddressFamily Family(string ip) => ip.Contains(':') ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    private static bool IsWildcard(string ip) => ip is "0.0.0.0" or "::" || (IPAddress.TryParse(ip, out var a) && (a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any)));

    public static string Format(string ip) => ip.Contains(':') ? $"[{ip}]" : ip;
}
