using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NetPortal.Core.Networks;

namespace NetPortal.Api.Networks;

/// <summary>
/// GET /networks without re-mapping and re-serializing every network on every request: each list item's JSON is
/// made once per network record and kept beside it (a <see cref="Network"/> is immutable; any change is a new
/// record, and a removed one takes its entry with it). A list item depends only on the record and on whether the
/// API version shows EnableIPv4 (list items never carry Containers), so the bytes are those the serializer would
/// write for <c>n.ToResource(v, endpoints: null)</c> in the array, and the response is the same, byte for byte.
/// </summary>
public sealed class NetworkListJson(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    /// <summary>The first version whose list items differ (EnableIPv4, API 1.48); see NetworkMapping.ToResource.</summary>
    private static readonly Version WithEnableIPv4 = new(1, 48);
    private static readonly Version WithoutEnableIPv4 = new(1, 41);

    private readonly JsonSerializerOptions _options = json.Value.SerializerOptions;
    private readonly ConditionalWeakTable<Network, byte[]> _withEnableIPv4 = new();
    private readonly ConditionalWeakTable<Network, byte[]> _withoutEnableIPv4 = new();

    /// <summary>The serialized list item of <paramref name="n"/> as <paramref name="apiVersion"/> shows it.</summary>
    public byte[] Item(Network n, Version apiVersion)
    {
        var (table, shape) = apiVersion >= WithEnableIPv4 ? (_withEnableIPv4, WithEnableIPv4) : (_withoutEnableIPv4, WithoutEnableIPv4);
        return table.GetValue(n, x => JsonSerializer.SerializeToUtf8Bytes(x.ToResource(shape, endpoints: null), _options));
    }

    /// <summary>The JSON array of the items, written straight to the response (Content-Type exactly application/json).</summary>
    public IResult Result(IReadOnlyList<Network> networks, Version apiVersion)
    {
        var items = new byte[networks.Count][];
        for (var i = 0; i < items.Length; i++) items[i] = Item(networks[i], apiVersion);
        return new ListResult(items);
    }

    private sealed class ListResult(byte[][] items) : IResult
    {
        public Task ExecuteAsync(HttpContext ctx)
        {
            ctx.Response.StatusCode = StatusCodes.Status200OK;
            ctx.Response.ContentType = "application/json";
            var w = ctx.Response.BodyWriter;
            var span = w.GetSpan(1);
            span[0] = (byte)'[';
            w.Advance(1);
            for (var i = 0; i < items.Length; i++)
            {
                if (i > 0)
                {
                    span = w.GetSpan(1);
                    span[0] = (byte)',';
                    w.Advance(1);
                }
                w.Write(items[i]);
            }
            span = w.GetSpan(1);
            span[0] = (byte)']';
            w.Advance(1);
            return w.FlushAsync(ctx.RequestAborted).AsTask();
        }
    }
}
