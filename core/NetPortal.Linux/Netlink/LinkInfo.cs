namespace NetPortal.Linux.Netlink;

/// <summary>A network device. <paramref name="Kind"/> is IFLA_INFO_KIND ("bridge", "veth", ...) or "" for physical/loopback.</summary>
public sealed record LinkInfo(string Name, int Index, string Kind, int Mtu, bool Up, string MacAddress, int MasterIndex);
