using System.Text.Json;
using System.Text.Json.Serialization;

namespace NetPortal.Api.Http;

/// <summary>Go's strslice.StrSlice: a JSON string means a one-element list; written as an array (or null).</summary>
public sealed class StrSliceConverter : JsonConverter<List<string>?>
{
    public override bool HandleNull => true;

    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return [reader.GetString()!];
            case JsonTokenType.StartArray:
                var list = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String) throw new JsonException("cannot unmarshal into a string slice");
                    list.Add(reader.GetString()!);
                }
                return list;
            default:
                throw new JsonException($"cannot unmarshal {reader.TokenType} into a string slice");
        }
    }

    public override void Write(Utf8JsonWriter writer, List<string>? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (var s in value) writer.WriteStringValue(s);
        writer.WriteEndArray();
    }
}
