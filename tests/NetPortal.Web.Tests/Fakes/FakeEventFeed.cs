using NetPortal.Web.Services;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Tests.Fakes;

/// <summary>Events raised by the test instead of a daemon.</summary>
public sealed class FakeEventFeed : IEventFeed
{
    private readonly List<DockerEvent> _recent = [];

    public event Action<DockerEvent>? Received;
    public bool Connected => true;
    public IReadOnlyList<DockerEvent> Recent => _recent;

    public void EnsureStarted()
    {
    }

    public void Raise(string type, string action, string name)
    {
        var e = new DockerEvent(type, action, new EventActorInfo(Guid.NewGuid().ToString("N"), new() { ["name"] = name }), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        _recent.Insert(0, e);
        Received?.Invoke(e);
    }
}
