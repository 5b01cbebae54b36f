namespace NetPortal.Web.Services.Models;

/// <summary>An interface of the managed namespace.</summary>
public sealed record TopologyInterface(string Name, string Kind, bool Up, int Mtu, List<string>? Addresses, string? Master);
