using System.Text.Json;
using System.Text.Json.Serialization;
using NetPortal.Core.Errors;

namespace NetPortal.Api.Http;

/// <summary>JSON as Go's encoding/json reads and writes it for the Docker API.</summary>
public static class DockerJson
{
    /// <summary>Largest request body accepted; Docker's network bodies are a few KiB.</summary>
    public const int MaxBodyBytes = 1 << 20;

    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions());

    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = null;
        o.DictionaryKeyPolicy = null;
        o.PropertyNameCaseInsensitive = true;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return o;
    }

    /// <summary>
    /// Reads a JSON body with dockerd's rules: a non-JSON Content-Type is refused, an empty body means defaults,
    /// malformed or mistyped JSON is 400 "invalid JSON: …", anything after the value is refused.
    /// </summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : new()
    {
        var contentType = request.ContentType;
        if (!string.IsNullOrEmpty(contentType))
        {
            var media = contentType.Split(';')[0].Trim();
            if (!media.Equals("application/json", StringComparison.OrdinalIgnoreCase))
                throw NetPortalException.InvalidParameter($"unsupported Content-Type header ({media}): must be 'application/json'");
        }
        if (request.ContentLength > MaxBodyBytes) throw TooLarge();

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }
        return Parse<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), announced: !string.IsNullOrEmpty(contentType) || request.ContentLength > 0);
    }

    /// <summary>
    /// Decodes a body already read (e.g. from an upgraded stream) with the same rules; <paramref name="announced"/>
    /// says whether the request promised a body, which makes an empty one an EOF error.
    /// </summary>
    public static T Parse<T>(ReadOnlySpan<byte> body, bool announced) where T : new()
    {
        if (body.Length == 0 || IsWhitespace(body))
        {
            if (announced) throw NetPortalException.InvalidParameter("invalid JSON: got EOF while reading request body");
            return new T();
        }
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            var value = JsonSerializer.Deserialize<T>(ref reader, Options);
            if (!IsWhitespace(body[(int)reader.BytesConsumed..])) throw NetPortalException.InvalidParameter("unexpected content after JSON");
            return value ?? new T();
        }
        catch (JsonException e)
        {
            throw NetPortalException.InvalidParameter("invalid JSON: " + Describe(e), e);
        }
    }

    private static string Describe(JsonException e)
    {
        // System.Text.Json appends "Path: $.X | LineNumber: …"; keep the sentence and the field like Go names it.
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        return e.Path is { Length: > 1 } path ? $"{message.TrimEnd('.')} (field {path[2..]})" : message.TrimEnd('.');
    }

    private static bool IsWhitespace(ReadOnlySpan<byte> span)
    {
        foreach (var b in span) if (b is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')) return false;
        return true;
    }

    private static BadHttpRequestException TooLarge() =>
        new($"request body too large: the limit is {MaxBodyBytes} bytes", StatusCodes.Status413PayloadTooLarge);
}
