namespace NetPortal.Core.Insight;

/// <summary>A network device of the managed namespace; Kind is IFLA_INFO_KIND ("bridge", "veth") or "" for physical/loopback.</summary>
/// <param name="Addresses">Addresses with prefix (10.1.1.1/24), link-local ones included.</param>
/// <param name="Master">The bridge the device is a port of, or null.</param>
public sealed record HostInterface(string Name, string Kind, bool Up, int Mtu, IReadOnlyList<string> Addresses, string? Master);
