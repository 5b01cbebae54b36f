using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

/// <summary>One message as read from the socket; <see cref="Payload"/> excludes the 16-byte nlmsghdr.</summary>
internal readonly ref struct NetlinkMessage(ushort type, ushort flags, uint sequence, uint portId, ReadOnlySpan<byte> payload)
{
    public ushort Type { get; } = type;
    public ushort Flags { get; } = flags;
    public uint Sequence { get; } = sequence;
    public uint PortId { get; } = portId;
    public ReadOnlySpan<byte> Payload { get; } = payload;

    public bool IsError => Type == Nl.NLMSG_ERROR;
    public bool IsDone => Type == Nl.NLMSG_DONE;

    /// <summary>
    /// NLMSG_ERROR carries a negative errno (0 means ACK) followed by the offending request header.
    /// NLMSG_DONE of a dump also carries an int: non-zero when the dump itself failed.
    /// </summary>
    public int Errno => Payload.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(Payload) : 0;

    /// <summary>Reads the fixed family header (ifinfomsg, ...) and returns the attributes after it.</summary>
    public T ReadHeader<T>(out AttributeReader attributes) where T : unmanaged
    {
        var size = Marshal.SizeOf<T>();
        if (Payload.Length < size) throw new InvalidDataException($"netlink message {Type} shorter than its header");
        var header = MemoryMarshal.Read<T>(Payload);
        var start = NetlinkWriter.Align(size);
        attributes = new AttributeReader(start < Payload.Length ? Payload[start..] : []);
        return header;
    }
}
