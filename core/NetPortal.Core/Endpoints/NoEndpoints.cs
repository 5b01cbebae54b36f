namespace NetPortal.Core.Endpoints;

/// <summary>The directory before any container exists.</summary>
public sealed class NoEndpoints : IEndpointDirectory
{
    public IReadOnlyList<ActiveEndpoint> ActiveEndpoints(string networkId) => [];
}
