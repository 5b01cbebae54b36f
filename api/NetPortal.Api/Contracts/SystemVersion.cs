namespace NetPortal.Api.Contracts;

/// <summary>GET /version.</summary>
public sealed class SystemVersion
{
    public required PlatformInfo Platform { get; init; }
    public required List<ComponentVersion> Components { get; init; }
    public required string Version { get; init; }
    public required string ApiVersion { get; init; }
    public required string MinAPIVersion { get; init; }
    public required string GitCommit { get; init; }
    public required string GoVersion { get; init; }
    public required string Os { get; init; }
    public required string Arch { get; init; }
    public required string KernelVersion { get; init; }
    public bool Experimental { get; init; }
    public required string BuildTime { get; init; }
}

public sealed record PlatformInfo(string Name);

public sealed record ComponentVersion(string Name, string Version, Dictionary<string, string> Details);
