namespace NetPortal.Core.Errors;

/// <summary>Docker's errdefs classes; the API maps each to one HTTP status.</summary>
public enum ErrorKind
{
    InvalidParameter,
    NotFound,
    Conflict,
    Forbidden,
    Unavailable,
    NotImplemented,
    Internal,
}
