namespace NetPortal.Linux.Netlink;

/// <summary>
/// A network device. <paramref name="Kind"/> is IFLA_INFO_KIND ("bridge", "veth", ...) or "" for physical/loopback;
/// <paramref name="Group"/> is IFLA_GROUP (0, "default", unless someone set it).
/// </summary>
public sealed record LinkInfo(string Name, int Index, string Kind, int Mtu, bool Up, string MacAddress, int MasterIndex, uint Group = 0);
