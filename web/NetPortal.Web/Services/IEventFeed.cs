using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Services;

/// <summary>Docker events shared by every open page: one /events stream per dashboard, fanned out to subscribers.</summary>
public interface IEventFeed
{
    /// <summary>Raised on a background thread; handlers marshal with InvokeAsync.</summary>
    event Action<DockerEvent>? Received;
    bool Connected { get; }
    /// <summary>The latest events, newest first.</summary>
    IReadOnlyList<DockerEvent> Recent { get; }
    /// <summary>Starts the stream once; later calls do nothing.</summary>
    void EnsureStarted();
}
