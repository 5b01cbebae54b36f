using System.Net;
using System.Net.Sockets;

namespace NetPortal.Linux.Netlink;

/// <summary>An interface address as the kernel reports it (IFA_LOCAL for IPv4, IFA_ADDRESS for IPv6).</summary>
public sealed record AddressInfo(int LinkIndex, AddressFamily Family, IPAddress Address, int PrefixLength);
