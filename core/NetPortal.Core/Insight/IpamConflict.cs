namespace NetPortal.Core.Insight;

/// <summary>A prefix of the managed namespace (not NetPortal's own) overlapping a subnet, and when it was first seen.</summary>
public sealed record IpamConflict(string Prefix, string Device, string Kind, DateTimeOffset Since);
