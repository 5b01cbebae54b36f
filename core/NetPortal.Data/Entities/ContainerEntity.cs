namespace NetPortal.Data.Entities;

/// <summary>
/// Row of the Containers table: the whole container as one JSON document (see <c>Documents/ContainerDocument</c>),
/// with its id, name and creation time also as columns for the key, the unique name index and ordering.
/// </summary>
public sealed class ContainerEntity
{
    public required string Id { get; set; }

    /// <summary>Without the leading slash; unique.</summary>
    public required string Name { get; set; }

    public DateTimeOffset Created { get; set; }

    /// <summary>JSON text of the whole container; the columns above are copies of its fields, written with it.</summary>
    public required string Document { get; set; }
}
