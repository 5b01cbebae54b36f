using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetPortal.Api.Tests.Infrastructure;

/// <summary>Small HTTP helpers and the exact-response assertions every test uses.</summary>
public static class DockerHttp
{
    private static int _counter;

    /// <summary>A network name no other test uses.</summary>
    public static string UniqueName(string prefix = "net") =>
        $"{prefix}-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostJson(this HttpClient c, string path, string json) => c.PostAsync(path, Json(json));

    /// <summary>POST /networks/create with a raw body; returns the response unread.</summary>
    public static Task<HttpResponseMessage> CreateRaw(this HttpClient c, string json, string prefix = "") =>
        c.PostJson(prefix + "/networks/create", json);

    /// <summary>Creates a network and returns its id, asserting Docker's exact 201 body.</summary>
    public static async Task<string> CreateNetwork(this HttpClient c, string json, string prefix = "")
    {
        var r = await c.CreateRaw(json, prefix);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Created, $"create failed: {(int)r.StatusCode} {body}");
        AssertJsonContentType(r);
        using var doc = JsonDocument.Parse(body);
        var id = doc.RootElement.GetProperty("Id").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", id);
        Assert.Equal($"{{\"Id\":\"{id}\",\"Warning\":\"\"}}", body.TrimEnd('\n'));
        return id;
    }

    public static Task<string> CreateNamed(this HttpClient c, string name) => c.CreateNetwork($"{{\"Name\":\"{name}\"}}");

    public static async Task<JsonNode> GetJson(this HttpClient c, string path)
    {
        var r = await c.GetAsync(path);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)r.StatusCode} {body}");
        AssertJsonContentType(r);
        return JsonNode.Parse(body)!;
    }

    /// <summary>Names in GET /networks (optionally filtered), sorted.</summary>
    public static async Task<List<string>> ListNames(this HttpClient c, string? filters = null)
    {
        var path = filters is null ? "/networks" : "/networks?filters=" + Uri.EscapeDataString(filters);
        var list = (await c.GetJson(path)).AsArray();
        return list.Select(n => (string)n!["Name"]!).Order(StringComparer.Ordinal).ToList();
    }

    public static void AssertJsonContentType(HttpResponseMessage r) =>
        Assert.Equal("application/json", r.Content.Headers.ContentType?.ToString());

    /// <summary>Exact status, exact Content-Type and exact {"message":...} body.</summary>
    public static async Task AssertError(HttpResponseMessage r, HttpStatusCode status, string message)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(status == r.StatusCode, $"expected {(int)status}, got {(int)r.StatusCode}: {body}");
        AssertJsonContentType(r);
        Assert.Equal(JsonSerializer.Serialize(new { message }, Relaxed), body.TrimEnd('\n'));
    }

    /// <summary>Exact status and Content-Type; the message must start with <paramref name="prefix"/>. Returns it.</summary>
    public static async Task<string> AssertErrorStartsWith(HttpResponseMessage r, HttpStatusCode status, string prefix)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(status == r.StatusCode, $"expected {(int)status}, got {(int)r.StatusCode}: {body}");
        AssertJsonContentType(r);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(["message"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        var message = doc.RootElement.GetProperty("message").GetString()!;
        Assert.StartsWith(prefix, message, StringComparison.Ordinal);
        return message;
    }

    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static HttpRequestMessage Request(HttpMethod method, string path, string? body = null, string? contentType = null)
    {
        var m = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            m.Content = new StringContent(body, Encoding.UTF8);
            m.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }
        return m;
    }
}
