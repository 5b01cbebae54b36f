using System.Globalization;
using NetPortal.Core.Ipam;

namespace NetPortal.Core.Insight;

/// <summary>GET /netportal/ipam: per network and subnet, the counts, reserved addresses, allocations and conflicts.</summary>
public sealed class IpamReport(InsightSource source, IIpam ipam, IpamConflictMonitor conflicts)
{
    public IReadOnlyList<IpamNetworkReport> Build()
    {
        var current = conflicts.Check();
        var endpoints = source.ContainerService.All
            .Where(c => c.State.Running)
            .SelectMany(c => c.Attachments.Where(a => a.Endpoint is not null).Select(a => (Container: c, a.NetworkId, Endpoint: a.Endpoint!)))
            .ToList();
        var result = new List<IpamNetworkReport>();
        foreach (var n in source.NetworkService.All.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            if (n.Pools.Count == 0) continue;
            var usage = ipam.Usage(n.Id);
            var subnets = new List<IpamSubnetReport>();
            foreach (var pool in n.Pools)
            {
                if (!Cidr.TryParse(pool.Subnet, out var cidr, out _)) continue;
                var u = usage.FirstOrDefault(x => x.Subnet == cidr.ToString());
                var reserved = new List<IpamReservation> { new(cidr.NetworkAddress.ToString(), "network") };
                if (pool.Gateway is not null) reserved.Add(new(pool.Gateway, "gateway"));
                var broadcast = !cidr.IsIPv6 && cidr.PrefixLength < 31;
                if (broadcast) reserved.Add(new(cidr.AddressAt(cidr.Last).ToString(), "broadcast"));
                reserved.AddRange(pool.AuxiliaryAddresses.Select(a => new IpamReservation(a.Value, "aux:" + a.Key)));
                var allocations = endpoints
                    .Where(e => e.NetworkId == n.Id)
                    .SelectMany(e => new[] { e.Endpoint.IPv4, e.Endpoint.IPv6 }.Where(a => a.Length > 0)
                        .Select(a => Cidr.ParseInterfaceAddress(a).Address)
                        .Where(cidr.Contains)
                        .Select(a => new IpamAllocation(a.ToString(), e.Container.Id, e.Container.Name, e.Endpoint.Id)))
                    .OrderBy(a => a.Address, StringComparer.Ordinal)
                    .ToList();
                var inUse = u?.InUse ?? (UInt128)(allocations.Count + reserved.Count - 1 - (broadcast ? 1 : 0));
                var unusable = (UInt128)(1 + (broadcast ? 1 : 0));
                var free = cidr.Size > inUse + unusable ? cidr.Size - inUse - unusable : UInt128.Zero;
                subnets.Add(new IpamSubnetReport(
                    pool.Subnet, pool.IPRange, pool.Gateway,
                    Text(cidr.Size), Text(inUse), Text(free), Text(u?.DynamicAvailable ?? free),
                    reserved, allocations,
                    current.TryGetValue((n.Id, pool.Subnet), out var c) ? c : []));
            }
            result.Add(new IpamNetworkReport(n.Id, n.Name, subnets));
        }
        return result;
    }

    private static string Text(UInt128 value) => value.ToString(CultureInfo.InvariantCulture);
}
