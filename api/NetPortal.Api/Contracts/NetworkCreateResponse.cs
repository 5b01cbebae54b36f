namespace NetPortal.Api.Contracts;

/// <summary>201 body of network create: both keys are always present.</summary>
public sealed record NetworkCreateResponse(string Id, string Warning);
