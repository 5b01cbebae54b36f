namespace NetPortal.Web.Hosting;

/// <summary>
/// The browser circuit's access, as a scoped service (a circuit is one DI scope), so that the API client itself can
/// refuse changes for a read-only viewer — the pages hide the forms, but the client is where a change would leave.
/// Routes sets it from the role the opening request carried; until then, and outside a circuit, it allows writes.
/// </summary>
public sealed class DashboardSession
{
    public bool CanWrite { get; set; } = true;
}
