using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>POST /containers/{id}/wait: Error (omitted when nil, as Go's omitempty) then StatusCode.</summary>
public sealed record ContainerWaitResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ContainerWaitExitError? Error,
    long StatusCode);

/// <summary>Why waiting failed.</summary>
public sealed record ContainerWaitExitError(string Message);
