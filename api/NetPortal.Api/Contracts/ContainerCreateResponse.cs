namespace NetPortal.Api.Contracts;

/// <summary>201 body of container create: both keys always present, Warnings never null.</summary>
public sealed record ContainerCreateResponse(string Id, List<string> Warnings);
