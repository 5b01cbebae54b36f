namespace NetPortal.Web.Services.Models;

/// <summary>One network of GET /netportal/ipam.</summary>
public sealed record IpamNetwork(string NetworkId, string NetworkName, List<IpamSubnet> Subnets);
