namespace NetPortal.Api.Contracts;

/// <summary>Names of the removed networks; null when none, as dockerd's nil slice.</summary>
public sealed record NetworkPruneResponse(List<string>? NetworksDeleted);
