namespace NetPortal.Api.Contracts;

/// <summary>Body of POST /networks/{id}/disconnect.</summary>
public sealed class NetworkDisconnectRequest
{
    public string? Container { get; set; }
    public bool Force { get; set; }
}
