using System.Text.Json.Serialization;

namespace NetPortal.Web.Services.Models;

/// <summary>One line of GET /events.</summary>
public sealed record DockerEvent(string Type, string Action, EventActorInfo Actor, [property: JsonPropertyName("time")] long Time);
