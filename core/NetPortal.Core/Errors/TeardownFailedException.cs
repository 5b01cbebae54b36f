namespace NetPortal.Core.Errors;

/// <summary>Teardown went on past each failure; this carries all of them.</summary>
public sealed class TeardownFailedException(IReadOnlyList<Exception> errors)
    : Exception("teardown failed: " + string.Join("; ", errors.Select(e => e.Message)), errors.Count > 0 ? errors[0] : null)
{
    public IReadOnlyList<Exception> Errors { get; } = errors;
}
