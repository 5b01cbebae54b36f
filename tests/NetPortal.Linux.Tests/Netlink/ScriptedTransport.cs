using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Tests.Netlink;

/// <summary>Replays canned kernel datagrams; <see cref="Reply"/> builds them from the request's sequence number.</summary>
internal sealed class ScriptedTransport : INetlinkTransport
{
    private readonly Queue<byte[]> _pending = new();
    public List<byte[]> Sent { get; } = [];
    public Func<uint, byte[][]> Reply { get; set; } = _ => [];

    public void Send(ReadOnlySpan<byte> message)
    {
        Sent.Add(message.ToArray());
        foreach (var d in Reply(BitConverter.ToUInt32(message[8..12]))) _pending.Enqueue(d);
    }

    public int Receive(Span<byte> buffer)
    {
        var d = _pending.Dequeue();
        d.CopyTo(buffer);
        return d.Length;
    }

    public void Dispose() { }
}
