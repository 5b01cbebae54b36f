namespace NetPortal.Data.Documents;

/// <summary>Stored form of an Attachment; Endpoint is null while the container is not running.</summary>
internal sealed class AttachmentDocument
{
    public string NetworkId { get; set; } = "";
    public string NetworkName { get; set; } = "";
    public EndpointConfigDocument Config { get; set; } = new();
    public EndpointDocument? Endpoint { get; set; }
}
