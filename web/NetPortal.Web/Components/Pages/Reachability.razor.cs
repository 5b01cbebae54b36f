using NetPortal.Web.Components.Shared;
using NetPortal.Web.Services;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Components.Pages;

public sealed partial class Reachability : LivePage
{
    private IReadOnlyList<string> _containers = [];
    private string _from = "";
    private string _to = "";
    private string _custom = "";
    private bool _busy;
    private string? _explainError;
    private ReachabilityResult? _result;

    private string Target => _custom.Trim().Length > 0 ? _custom.Trim() : _to;

    protected override async Task LoadAsync(CancellationToken ct) =>
        _containers = (await Api.GetContainersAsync(ct)).Where(c => c.State == "running")
            .Select(c => c.Names.FirstOrDefault()?.TrimStart('/') ?? c.Id).Order(StringComparer.Ordinal).ToList();

    /// <summary>A connect or disconnect changes the answer: the shown verdict is recomputed.</summary>
    protected override void OnEventApplied(DockerEvent e)
    {
        if (_result is not null && e.Type == "network") _ = InvokeAsync(ExplainAsync);
    }

    private async Task ExplainAsync()
    {
        if (_from.Length == 0 || Target.Length == 0) return;
        _busy = true;
        _explainError = null;
        StateHasChanged();
        try
        {
            _result = await Api.ExplainAsync(_from, Target);
        }
        catch (ApiException e)
        {
            _explainError = e.Message;
            _result = null;
        }
        catch (HttpRequestException e)
        {
            _explainError = "the daemon did not answer: " + e.Message;
        }
        finally
        {
            _busy = false;
            StateHasChanged();
        }
    }
}
