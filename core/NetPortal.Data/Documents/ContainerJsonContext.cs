using System.Text.Json.Serialization;

namespace NetPortal.Data.Documents;

/// <summary>
/// Source-generated System.Text.Json metadata for the container document: no reflection, fixed property names,
/// DateTimeOffset as ISO-8601 with all seven fractional digits and the offset, ulong as an exact integer.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict,
    RespectNullableAnnotations = true,
    WriteIndented = false)]
[JsonSerializable(typeof(ContainerDocument))]
internal sealed partial class ContainerJsonContext : JsonSerializerContext;
