namespace NetPortal.Core.Insight;

/// <summary>GET /netportal/ipam: one network's subnets.</summary>
public sealed record IpamNetworkReport(string NetworkId, string NetworkName, IReadOnlyList<IpamSubnetReport> Subnets);
