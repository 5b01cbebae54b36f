namespace NetPortal.Data.Documents;

/// <summary>
/// Stored JSON form of a Container (Containers.Document). Plain settable properties so that the stored format
/// does not follow the core records' constructors, required members and computed properties; absent fields read
/// as their defaults.
/// </summary>
internal sealed class ContainerDocument
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTimeOffset Created { get; set; }
    public ContainerSpecDocument Spec { get; set; } = new();
    public string NetworkMode { get; set; } = "";
    public List<AttachmentDocument> Attachments { get; set; } = [];
    public ContainerStateDocument State { get; set; } = new();
    public SandboxDocument? Sandbox { get; set; }
    public int RestartCount { get; set; }
}
