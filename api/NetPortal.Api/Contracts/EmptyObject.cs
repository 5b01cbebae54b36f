namespace NetPortal.Api.Contracts;

/// <summary>Go's struct{}: the value type of ExposedPorts and Volumes, written as {}.</summary>
public sealed class EmptyObject;
