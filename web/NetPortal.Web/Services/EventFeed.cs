using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Services;

/// <summary>Keeps one GET /events stream open (reconnecting after a pause) and fans each event out.</summary>
public sealed class EventFeed(IServiceScopeFactory scopes, ILogger<EventFeed> log) : IEventFeed, IDisposable
{
    private const int Keep = 50;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly LinkedList<DockerEvent> _recent = new();
    private int _started;

    public event Action<DockerEvent>? Received;
    public bool Connected { get; private set; }

    public IReadOnlyList<DockerEvent> Recent
    {
        get { lock (_gate) return [.. _recent]; }
    }

    public void EnsureStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0) _ = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var scope = scopes.CreateScope();
                var client = scope.ServiceProvider.GetRequiredService<INetPortalApiClient>();
                Connected = true;
                await foreach (var e in client.StreamEventsAsync(_stop.Token))
                {
                    lock (_gate)
                    {
                        _recent.AddFirst(e);
                        while (_recent.Count > Keep) _recent.RemoveLast();
                    }
                    Received?.Invoke(e);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or ApiException or IOException or System.Text.Json.JsonException)
            {
                log.LogDebug(e, "event stream interrupted");
            }
            Connected = false;
            try { await Task.Delay(TimeSpan.FromSeconds(2), _stop.Token); } catch (OperationCanceledException) { return; }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
