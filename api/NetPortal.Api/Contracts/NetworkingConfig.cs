namespace NetPortal.Api.Contracts;

/// <summary>Create's NetworkingConfig: network name or id → endpoint settings.</summary>
public sealed class NetworkingConfig
{
    public Dictionary<string, EndpointSettings?>? EndpointsConfig { get; set; }
}
