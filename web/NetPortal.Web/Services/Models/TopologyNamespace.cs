namespace NetPortal.Web.Services.Models;

/// <summary>The managed network namespace and its interfaces.</summary>
public sealed record TopologyNamespace(string Path, List<TopologyInterface> Interfaces);
