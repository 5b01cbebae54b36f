namespace NetPortal.Web.Services.Models;

/// <summary>A port of a container list item.</summary>
public sealed record ContainerPort(string? IP, int PrivatePort, int? PublicPort, string Type);
