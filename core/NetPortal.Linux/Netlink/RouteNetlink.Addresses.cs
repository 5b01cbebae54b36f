using System.Net;
using System.Net.Sockets;
using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

public sealed partial class RouteNetlink
{
    public void AddAddress(string linkName, IPAddress address, int prefixLength) =>
        ChangeAddress(Nl.RTM_NEWADDR, CreateFlags, $"add address {address}/{prefixLength} to {linkName}", linkName, address, prefixLength);

    public void DeleteAddress(string linkName, IPAddress address, int prefixLength) =>
        ChangeAddress(Nl.RTM_DELADDR, ChangeFlags, $"delete address {address}/{prefixLength} from {linkName}", linkName, address, prefixLength);

    public IReadOnlyList<AddressInfo> DumpAddresses()
    {
        var list = new List<AddressInfo>();
        Exchange("dump addresses", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_GETADDR, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, seq);
            w.WriteHeader(new ifaddrmsg());
        }, (in NetlinkMessage m) => { if (m.Type == Nl.RTM_NEWADDR && ParseAddress(m) is { } a) list.Add(a); }, dump: true);
        return list;
    }

    // Docker adds container IPv6 addresses with IFA_F_NODAD: with DAD the address stays "tentative" (unusable as a
    // source) for about a second after the link comes up; the IPAM already guarantees it is unique on the network.
    public void AddAddressNoDad(string linkName, IPAddress address, int prefixLength) =>
        ChangeAddress(Nl.RTM_NEWADDR, CreateFlags, $"add address {address}/{prefixLength} to {linkName}", linkName, address, prefixLength, Nl.IFA_F_NODAD);

    private void ChangeAddress(ushort type, ushort flags, string op, string linkName, IPAddress address, int prefixLength, byte addressFlags = 0)
    {
        var link = GetLink(linkName) ?? throw new NetlinkException(Errno.ENODEV, op);
        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        Span<byte> ip = stackalloc byte[16];
        address.TryWriteBytes(ip, out var len);
        var bytes = ip[..len].ToArray();
        Execute(op, (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(type, flags, seq);
            w.WriteHeader(new ifaddrmsg
            {
                ifa_family = v4 ? Nl.AF_INET : Nl.AF_INET6,
                ifa_prefixlen = (byte)prefixLength,
                ifa_flags = addressFlags, // IFA_F_* up to 0x80 fit here; higher ones would need an IFA_FLAGS attribute
                ifa_index = (uint)link.Index,
            });
            // For IPv4, IFA_LOCAL is the interface's own address and IFA_ADDRESS the peer (equal unless
            // point-to-point); iproute2 and vishvananda/netlink send both. IPv6 uses IFA_ADDRESS only.
            if (v4) w.AddAttribute(Nl.IFA_LOCAL, bytes);
            w.AddAttribute(Nl.IFA_ADDRESS, bytes);
            if (v4 && type == Nl.RTM_NEWADDR && prefixLength < 31) w.AddAttribute(Nl.IFA_BROADCAST, Broadcast(bytes, prefixLength));
        });
    }

    internal static byte[] Broadcast(byte[] v4, int prefixLength)
    {
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(v4);
        var host = prefixLength == 0 ? uint.MaxValue : (1u << (32 - prefixLength)) - 1;
        var b = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(b, value | host);
        return b;
    }

    internal static AddressInfo? ParseAddress(in NetlinkMessage m)
    {
        var hdr = m.ReadHeader<ifaddrmsg>(out var attrs);
        IPAddress? address = null, local = null;
        while (attrs.TryRead(out var type, out var value))
        {
            if (type == Nl.IFA_ADDRESS) address = new IPAddress(value);
            else if (type == Nl.IFA_LOCAL) local = new IPAddress(value);
        }
        var ip = local ?? address;
        if (ip is null) return null;
        var family = hdr.ifa_family == Nl.AF_INET6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        return new AddressInfo((int)hdr.ifa_index, family, ip, hdr.ifa_prefixlen);
    }
}
