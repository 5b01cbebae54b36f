using System.Buffers.Binary;
using System.Text;
using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

/// <summary>Iterates rtattr/nlattr TLVs; the type has NLA_F_NESTED/NLA_F_NET_BYTEORDER masked off.</summary>
internal ref struct AttributeReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public bool TryRead(out ushort type, out ReadOnlySpan<byte> value)
    {
        type = 0;
        value = default;
        if (_rest.Length < 4) return false;
        var len = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (len < 4 || len > _rest.Length) throw new InvalidDataException($"bad rta_len {len}");
        type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & Nl.NLA_TYPE_MASK);
        value = _rest[4..len];
        var next = NetlinkWriter.Align(len);
        _rest = next >= _rest.Length ? [] : _rest[next..];
        return true;
    }

    public static string ReadString(ReadOnlySpan<byte> value)
    {
        var nul = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? value[..nul] : value);
    }

    public static uint ReadUInt32(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadUInt32LittleEndian(value);
}
