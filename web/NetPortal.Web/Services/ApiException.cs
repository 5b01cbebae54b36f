using System.Net;

namespace NetPortal.Web.Services;

/// <summary>A non-success answer of the daemon, carrying its own {"message": "..."} text.</summary>
public sealed class ApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}
