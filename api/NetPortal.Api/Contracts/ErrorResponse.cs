using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>Docker's error body; clients read the lower-case "message".</summary>
public sealed record ErrorResponse([property: JsonPropertyName("message")] string Message);
