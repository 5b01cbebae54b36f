namespace NetPortal.Data.Documents;

/// <summary>Stored form of a SandboxInfo.</summary>
internal sealed class SandboxDocument
{
    public string Id { get; set; } = "";
    public string Key { get; set; } = "";
    public string Directory { get; set; } = "";
    public bool OwnsNetwork { get; set; }
}
