using System.Buffers.Binary;

namespace NetPortal.Linux.Netlink;

/// <summary>Iterates the messages of one recv() buffer (a datagram may hold several, e.g. in a dump).</summary>
internal ref struct NetlinkReader(ReadOnlySpan<byte> buffer)
{
    private ReadOnlySpan<byte> _rest = buffer;

    public bool TryRead(out NetlinkMessage message)
    {
        message = default;
        if (_rest.Length < 16) return false;
        var len = (int)BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        if (len < 16 || len > _rest.Length) throw new InvalidDataException($"bad nlmsg_len {len} ({_rest.Length} bytes left)");
        message = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_rest[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_rest[12..]),
            _rest[16..len]);
        var next = NetlinkWriter.Align(len);
        _rest = next >= _rest.Length ? [] : _rest[next..];
        return true;
    }
}
