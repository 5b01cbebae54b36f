using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using NetPortal.Linux.Interop;

namespace NetPortal.Linux.Netlink;

/// <summary>
/// Builds one netlink message in a caller-supplied buffer. Lengths are patched at the end
/// because the kernel validates nlmsg_len and every rta_len against what follows.
/// </summary>
internal ref struct NetlinkWriter(Span<byte> buffer)
{
    private readonly Span<byte> _buffer = buffer;
    private int _pos;
    private int _messageStart;

    public static int Align(int length) => (length + 3) & ~3;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._pos];

    public void BeginMessage(ushort type, ushort flags, uint sequence)
    {
        _messageStart = _pos;
        var h = new nlmsghdr { nlmsg_type = type, nlmsg_flags = flags, nlmsg_seq = sequence };
        WriteHeader(in h);
    }

    /// <summary>Writes a fixed family header (ifinfomsg, ifaddrmsg, rtmsg) padded to 4 bytes.</summary>
    public void WriteHeader<T>(in T header) where T : unmanaged
    {
        var size = Marshal.SizeOf<T>();
        var dest = Reserve(Align(size));
        MemoryMarshal.Write(dest, in header);
    }

    public void AddAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        var len = 4 + value.Length;
        var dest = Reserve(Align(len));
        BinaryPrimitives.WriteUInt16LittleEndian(dest, (ushort)len);
        BinaryPrimitives.WriteUInt16LittleEndian(dest[2..], type);
        value.CopyTo(dest[4..]);
    }

    /// <summary>NLA_STRING attributes such as IFLA_IFNAME carry the terminating NUL.</summary>
    public void AddString(ushort type, string value)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        AddAttribute(type, bytes);
    }

    public void AddUInt32(ushort type, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value); // host order; x64/arm64 are little-endian
        AddAttribute(type, b);
    }

    /// <summary>Appends bytes already in netlink layout (a family header, pre-encoded attributes), padded to 4.</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(Align(bytes.Length)));

    /// <summary>Starts a nested attribute; pass the returned offset to <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        var start = _pos;
        var dest = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(dest[2..], type);
        return start;
    }

    public readonly void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[start..], (ushort)(_pos - start));

    /// <summary>Patches nlmsg_len (which includes the padding of the last attribute) and returns the message.</summary>
    public readonly ReadOnlySpan<byte> EndMessage()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[_messageStart..], (uint)(_pos - _messageStart));
        return _buffer[_messageStart.._pos];
    }

    private Span<byte> Reserve(int length)
    {
        if (_pos + length > _buffer.Length) throw new InvalidOperationException("netlink message buffer too small");
        var dest = _buffer.Slice(_pos, length);
        dest.Clear();
        _pos += length;
        return dest;
    }

}
