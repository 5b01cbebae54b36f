using Microsoft.AspNetCore.Components;
using NetPortal.Web.Services;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Components.Networks;

/// <summary>The create form; the daemon validates, and its own message is shown when it refuses.</summary>
public sealed partial class NetworkCreateForm
{
    private NetworkCreateSpec _spec = new();
    private bool _busy;
    private string? _error;
    private string? _created;

    [Inject] public required INetPortalApiClient Api { get; set; }
    [Parameter] public bool CanWrite { get; set; } = true;
    [Parameter] public EventCallback<string> OnCreated { get; set; }

    private async Task SubmitAsync()
    {
        if (!CanWrite || _busy) return;
        _busy = true;
        _error = null;
        _created = null;
        try
        {
            if (string.IsNullOrWhiteSpace(_spec.Name))
            {
                _error = "a network needs a name";
                return;
            }
            await Api.CreateNetworkAsync(_spec);
            _created = _spec.Name.Trim();
            _spec = new NetworkCreateSpec();
            await OnCreated.InvokeAsync(_created);
        }
        catch (ApiException e)
        {
            _error = e.Message;
        }
        catch (HttpRequestException e)
        {
            _error = "the daemon did not answer: " + e.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
