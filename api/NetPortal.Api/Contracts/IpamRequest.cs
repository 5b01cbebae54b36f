namespace NetPortal.Api.Contracts;

/// <summary>The IPAM part of a create request.</summary>
public sealed class IpamRequest
{
    public string? Driver { get; set; }
    public List<IpamConfigResource?>? Config { get; set; }
    public Dictionary<string, string>? Options { get; set; }
}
