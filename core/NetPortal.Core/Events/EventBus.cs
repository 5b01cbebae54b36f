using System.Threading.Channels;

namespace NetPortal.Core.Events;

/// <summary>Publishes events to live subscribers and keeps the most recent ones for since/until replay, as dockerd does.</summary>
public sealed class EventBus(TimeProvider time)
{
    private const int HistorySize = 1024;
    private readonly Lock _lock = new();
    private readonly Queue<DockerEvent> _history = new();
    private readonly List<Channel<DockerEvent>> _subscribers = [];

    public DockerEvent Publish(string type, string action, string actorId, IReadOnlyDictionary<string, string> attributes, string scope = "local")
    {
        var now = time.GetUtcNow();
        var nanos = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        var e = new DockerEvent(type, action, actorId, attributes, scope, nanos);
        lock (_lock)
        {
            _history.Enqueue(e);
            if (_history.Count > HistorySize) _history.Dequeue();
            foreach (var s in _subscribers) s.Writer.TryWrite(e);
        }
        return e;
    }

    /// <summary>Atomically snapshots history and subscribes, so no event falls between replay and live stream.</summary>
    public (IReadOnlyList<DockerEvent> History, ChannelReader<DockerEvent> Live, IDisposable Subscription) Subscribe()
    {
        var channel = Channel.CreateUnbounded<DockerEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_lock)
        {
            _subscribers.Add(channel);
            return (_history.ToArray(), channel.Reader, new Unsubscriber(this, channel));
        }
    }

    private sealed class Unsubscriber(EventBus bus, Channel<DockerEvent> channel) : IDisposable
    {
        public void Dispose()
        {
            lock (bus._lock) bus._subscribers.Remove(channel);
            channel.Writer.TryComplete();
        }
    }
}
