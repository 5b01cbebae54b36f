namespace NetPortal.Core.Insight;

/// <summary>An address IPAM never hands out: network, gateway, broadcast or aux:&lt;name&gt;.</summary>
public sealed record IpamReservation(string Address, string Reason);
