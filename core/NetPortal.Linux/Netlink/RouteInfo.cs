using System.Net;
using System.Net.Sockets;

namespace NetPortal.Linux.Netlink;

/// <summary>A main-table route; <paramref name="Destination"/> is the unspecified address for a default route (/0).</summary>
public sealed record RouteInfo(AddressFamily Family, IPAddress Destination, int PrefixLength, int OutputLinkIndex, IPAddress? Gateway);
