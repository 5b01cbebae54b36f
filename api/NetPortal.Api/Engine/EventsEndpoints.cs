using System.Text.Json;
using NetPortal.Api.Contracts;
using NetPortal.Api.Http;
using NetPortal.Core.Errors;
using NetPortal.Core.Events;
using NetPortal.Core.Filters;

namespace NetPortal.Api.Engine;

/// <summary>GET /events: replays buffered events from since, then streams live ones until until or disconnect.</summary>
public static class EventsEndpoints
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/events", Stream).WithName("SystemEvents").WithTags("System")
            .Produces<DockerEventMessage>(200, "application/json").Produces<ErrorResponse>(400);
        return app;
    }

    public static async Task Stream(HttpContext ctx, EventBus bus, TimeProvider time, IHostApplicationLifetime lifetime, string? since = null, string? until = null, string? filters = null)
    {
        var now = time.GetUtcNow();
        var from = ParseTime(since, "since", now);
        var to = ParseTime(until, "until", now);
        if (from is { } f && to is { } t && f > t)
            throw NetPortalException.InvalidParameter($"`since` time ({since}) cannot be after `until` time ({until})");
        var filter = FilterParser.Parse(filters);

        var (history, live, subscription) = bus.Subscribe();
        using var _ = subscription;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.StartAsync(ctx.RequestAborted);

        foreach (var e in history)
        {
            if (from is null) break; // without since, dockerd sends only new events
            var at = DateTimeOffset.UnixEpoch.AddTicks(e.TimeNano / 100);
            if (at < from || (to is { } end && at > end)) continue;
            if (Matches(filter, e)) await Write(ctx, e);
        }
        if (to is { } stop && stop <= time.GetUtcNow()) return;

        // A stream never ends by itself: end it when the daemon stops, or Kestrel waits its whole shutdown timeout for it.
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, lifetime.ApplicationStopping);
        if (to is { } deadline) cts.CancelAfter(deadline - time.GetUtcNow());
        try
        {
            await foreach (var e in live.ReadAllAsync(cts.Token))
                if (Matches(filter, e)) await Write(ctx, e);
        }
        catch (OperationCanceledException)
        {
            // until reached or client gone: the stream simply ends.
        }
    }

    private static DateTimeOffset? ParseTime(string? value, string name, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (!GoTime.TryParseTimestamp(value, now, out var t))
            throw NetPortalException.InvalidParameter($"failed to parse value for {name}: \"{value}\"");
        return t;
    }

    private static bool Matches(FilterArgs f, DockerEvent e)
    {
        if (f.Contains("type") && !f.Get("type").Contains(e.Type)) return false;
        if (f.Contains("event") && !f.Get("event").Contains(e.Action)) return false;
        if (f.Contains("scope") && !f.Get("scope").Contains(e.Scope)) return false;
        e.Attributes.TryGetValue("name", out var name);
        if (f.Contains("network"))
        {
            if (e.Type != "network") return false;
            if (!f.Get("network").Any(v => v == e.ActorId || v == name || (v.Length > 0 && e.ActorId.StartsWith(v, StringComparison.Ordinal)))) return false;
        }
        if (f.Contains("container"))
        {
            e.Attributes.TryGetValue("container", out var c);
            var id = e.Type == "container" ? e.ActorId : c;
            if (!f.Get("container").Any(v => v == id || (e.Type == "container" && v == name) || (id is not null && v.Length > 0 && id.StartsWith(v, StringComparison.Ordinal)))) return false;
        }
        if (f.Contains("label") && !FilterArgs.MatchesLabels(f.Get("label"), e.Attributes)) return false;
        return true;
    }

    private static async Task Write(HttpContext ctx, DockerEvent e)
    {
        var container = e.Type == "container";
        var msg = new DockerEventMessage
        {
            Status = container ? e.Action : null,
            Id = container ? e.ActorId : null,
            From = container ? e.Attributes.GetValueOrDefault("image") : null,
            Type = e.Type,
            Action = e.Action,
            Actor = new EventActor(e.ActorId, new Dictionary<string, string>(e.Attributes)),
            Scope = e.Scope,
            Time = e.Time,
            TimeNano = e.TimeNano,
        };
        await ctx.Response.WriteAsync(JsonSerializer.Serialize(msg, DockerJson.Options) + "\n");
        await ctx.Response.Body.FlushAsync();
    }
}
