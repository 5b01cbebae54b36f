using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Services;

/// <summary>Typed HttpClient for Docker's routes and NetPortal's /netportal views; it owns its records and never shares the daemon's types.</summary>
public sealed class NetPortalApiClient(HttpClient http) : INetPortalApiClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<bool> PingAsync(CancellationToken ct = default)
    {
        try
        {
            using var r = await http.GetAsync("_ping", ct);
            return r.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public Task<VersionInfo> GetVersionAsync(CancellationToken ct = default) => GetAsync<VersionInfo>("version", ct);

    public async Task<IReadOnlyList<NetworkSummary>> GetNetworksAsync(CancellationToken ct = default) =>
        await GetAsync<List<NetworkSummary>>("networks", ct);

    public Task<NetworkSummary> GetNetworkAsync(string idOrName, CancellationToken ct = default) =>
        GetAsync<NetworkSummary>("networks/" + Uri.EscapeDataString(idOrName), ct);

    public async Task<string> CreateNetworkAsync(NetworkCreateSpec spec, CancellationToken ct = default)
    {
        var config = new JsonObject();
        if (spec.Subnet.Trim() is { Length: > 0 } subnet) config["Subnet"] = subnet;
        if (spec.IPRange.Trim() is { Length: > 0 } range) config["IPRange"] = range;
        if (spec.Gateway.Trim() is { Length: > 0 } gateway) config["Gateway"] = gateway;
        var labels = new JsonObject();
        foreach (var (k, v) in spec.ParseLabels()) labels[k] = v;
        var body = new JsonObject
        {
            ["Name"] = spec.Name.Trim(),
            ["Driver"] = string.IsNullOrWhiteSpace(spec.Driver) ? "bridge" : spec.Driver.Trim(),
            ["Internal"] = spec.Internal,
            ["EnableIPv6"] = spec.EnableIPv6,
            ["IPAM"] = new JsonObject { ["Driver"] = "default", ["Config"] = config.Count > 0 ? new JsonArray(config) : new JsonArray() },
            ["Labels"] = labels,
        };
        using var r = await http.PostAsJsonAsync("networks/create", body, ct);
        await EnsureSuccessAsync(r, ct);
        var created = await r.Content.ReadFromJsonAsync<JsonObject>(Json, ct);
        return created?["Id"]?.GetValue<string>() ?? "";
    }

    public async Task DeleteNetworkAsync(string idOrName, CancellationToken ct = default)
    {
        using var r = await http.DeleteAsync("networks/" + Uri.EscapeDataString(idOrName), ct);
        await EnsureSuccessAsync(r, ct);
    }

    public async Task ConnectAsync(string network, string container, CancellationToken ct = default)
    {
        using var r = await http.PostAsJsonAsync($"networks/{Uri.EscapeDataString(network)}/connect", new JsonObject { ["Container"] = container }, ct);
        await EnsureSuccessAsync(r, ct);
    }

    public async Task DisconnectAsync(string network, string container, bool force, CancellationToken ct = default)
    {
        using var r = await http.PostAsJsonAsync($"networks/{Uri.EscapeDataString(network)}/disconnect", new JsonObject { ["Container"] = container, ["Force"] = force }, ct);
        await EnsureSuccessAsync(r, ct);
    }

    public async Task<IReadOnlyList<ContainerSummary>> GetContainersAsync(CancellationToken ct = default) =>
        await GetAsync<List<ContainerSummary>>("containers/json?all=1", ct);

    public Task<TopologyView> GetTopologyAsync(CancellationToken ct = default) => GetAsync<TopologyView>("netportal/topology", ct);

    public async Task<IReadOnlyList<IpamNetwork>> GetIpamAsync(CancellationToken ct = default) =>
        await GetAsync<List<IpamNetwork>>("netportal/ipam", ct);

    public Task<FirewallView> GetFirewallAsync(string? network = null, string? container = null, CancellationToken ct = default)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(network)) query.Add("network=" + Uri.EscapeDataString(network));
        if (!string.IsNullOrWhiteSpace(container)) query.Add("container=" + Uri.EscapeDataString(container));
        return GetAsync<FirewallView>("netportal/firewall" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), ct);
    }

    public Task<ReachabilityResult> ExplainAsync(string from, string to, CancellationToken ct = default) =>
        GetAsync<ReachabilityResult>($"netportal/reachability?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}", ct);

    public async IAsyncEnumerable<DockerEvent> StreamEventsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "events");
        using var r = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureSuccessAsync(r, ct);
        await using var stream = await r.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0) continue;
            var e = JsonSerializer.Deserialize<DockerEvent>(line, Json);
            if (e is not null) yield return e;
        }
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var r = await http.GetAsync(path, ct);
        await EnsureSuccessAsync(r, ct);
        return await r.Content.ReadFromJsonAsync<T>(Json, ct) ?? throw new ApiException(r.StatusCode, $"empty answer from {path}");
    }

    /// <summary>Turns Docker's {"message": "..."} error body into an exception carrying that exact text.</summary>
    private static async Task EnsureSuccessAsync(HttpResponseMessage r, CancellationToken ct)
    {
        if (r.IsSuccessStatusCode) return;
        var text = await r.Content.ReadAsStringAsync(ct);
        string message;
        try
        {
            message = JsonNode.Parse(text)?["message"]?.GetValue<string>() ?? text;
        }
        catch (JsonException)
        {
            message = text;
        }
        if (string.IsNullOrWhiteSpace(message)) message = $"{(int)r.StatusCode} {r.ReasonPhrase}";
        throw new ApiException(r.StatusCode, message.Trim());
    }
}
