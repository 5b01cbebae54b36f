using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using ARSoft.Tools.Net.Dns;

namespace NetPortal.Linux.Dns;

/// <summary>
/// The raw bytes of queries between receipt and answer. ARSoft's DnsServer hands the handler only the parsed message and
/// cannot serialize one for us (Encode is internal), so the transports park the client's bytes here and a forward sends
/// exactly what the client sent (as dockerd does), keyed by who asked and the message id.
/// </summary>
internal sealed class PendingQueries
{
    private readonly ConcurrentDictionary<(TransportProtocol, IPEndPoint, ushort), byte[]> _byKey = new();

    /// <summary>Parks a received message (without the TCP length prefix); returns the key to release it with.</summary>
    public (TransportProtocol, IPEndPoint, ushort)? Park(TransportProtocol protocol, IPEndPoint client, byte[] message)
    {
        // The id is the first 16 bits of every DNS message; shorter packets are garbage the parser will reject anyway.
        if (message.Length < 2) return null;
        var key = (protocol, client, BinaryPrimitives.ReadUInt16BigEndian(message));
        _byKey[key] = message;
        return key;
    }

    /// <summary>Hands the message to the one handler answering it (the server parses it only once).</summary>
    public byte[]? Take(TransportProtocol protocol, IPEndPoint client, ushort id) =>
        _byKey.TryRemove((protocol, client, id), out var m) ? m : null;

    public bool Contains((TransportProtocol, IPEndPoint, ushort) key, byte[] message) =>
        _byKey.TryGetValue(key, out var m) && ReferenceEquals(m, message);

    /// <summary>
    /// Forgets a message nobody took (it did not parse); only if the entry is still this message, since a
    /// retransmission may have replaced it.
    /// </summary>
    public void Release((TransportProtocol, IPEndPoint, ushort)? key, byte[] message)
    {
        if (key is { } k) _byKey.TryRemove(new KeyValuePair<(TransportProtocol, IPEndPoint, ushort), byte[]>(k, message));
    }

    public int Count => _byKey.Count;
}
