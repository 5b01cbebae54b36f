namespace NetPortal.Api.Contracts;

/// <summary>Body of POST /networks/{id}/connect.</summary>
public sealed class NetworkConnectRequest
{
    public string? Container { get; set; }
    public EndpointSettings? EndpointConfig { get; set; }
}
