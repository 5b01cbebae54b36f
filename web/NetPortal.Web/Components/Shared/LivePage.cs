using Microsoft.AspNetCore.Components;
using NetPortal.Web.Hosting;
using NetPortal.Web.Services;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Components.Shared;

/// <summary>
/// A page that loads from the API, shows loading and error states, and reloads when a Docker event arrives
/// (network or container), so the view follows the daemon without a browser reload.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    private CancellationTokenSource? _debounce;

    [Inject] public required INetPortalApiClient Api { get; set; }
    [Inject] public required IEventFeed Events { get; set; }
    [CascadingParameter] public DashboardAccess? Access { get; set; }

    protected bool Loading { get; private set; } = true;
    protected string? Error { get; set; }
    protected bool Loaded { get; private set; }
    protected bool CanWrite => Access?.CanWrite ?? true;

    protected override async Task OnInitializedAsync()
    {
        Events.Received += OnEvent;
        Events.EnsureStarted();
        await ReloadAsync();
    }

    /// <summary>Fetches the page's data; exceptions of type <see cref="ApiException"/> become the error banner.</summary>
    protected abstract Task LoadAsync(CancellationToken ct);

    protected virtual bool IsRelevant(DockerEvent e) => e.Type is "network" or "container";

    protected async Task ReloadAsync()
    {
        try
        {
            await LoadAsync(CancellationToken.None);
            Error = null;
            Loaded = true;
        }
        catch (ApiException e)
        {
            Error = e.Message;
        }
        catch (HttpRequestException e)
        {
            Error = "the daemon did not answer: " + e.Message;
        }
        finally
        {
            Loading = false;
        }
    }

    private void OnEvent(DockerEvent e)
    {
        if (!IsRelevant(e)) return;
        // Bursts (connect = several events) reload once.
        var cts = new CancellationTokenSource();
        Interlocked.Exchange(ref _debounce, cts)?.Cancel();
        _ = InvokeAsync(async () =>
        {
            try { await Task.Delay(150, cts.Token); } catch (OperationCanceledException) { return; }
            await ReloadAsync();
            OnEventApplied(e);
            StateHasChanged();
        });
    }

    protected virtual void OnEventApplied(DockerEvent e)
    {
    }

    public void Dispose()
    {
        Events.Received -= OnEvent;
        _debounce?.Cancel();
        GC.SuppressFinalize(this);
    }
}
