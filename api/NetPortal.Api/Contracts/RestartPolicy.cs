namespace NetPortal.Api.Contracts;

/// <summary>HostConfig.RestartPolicy; NetPortal never restarts containers itself, it only echoes "no".</summary>
public sealed class RestartPolicy
{
    public string Name { get; set; } = "no";
    public int MaximumRetryCount { get; set; }
}
