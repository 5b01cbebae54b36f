namespace NetPortal.Api.Contracts;

/// <summary>Docker's IDResponse (exec create): {"Id":"…"}.</summary>
public sealed record IdResponse(string Id);
