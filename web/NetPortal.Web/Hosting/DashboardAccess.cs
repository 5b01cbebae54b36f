namespace NetPortal.Web.Hosting;

/// <summary>What the signed-in browser may do, cascaded to every page; read-only viewers get no forms.</summary>
public sealed record DashboardAccess(bool CanWrite)
{
    public static readonly DashboardAccess Admin = new(true);
}
