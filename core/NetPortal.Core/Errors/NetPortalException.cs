namespace NetPortal.Core.Errors;

/// <summary>An error with a Docker error class; its message is what the client sees.</summary>
public sealed class NetPortalException(ErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;

    public static NetPortalException InvalidParameter(string message, Exception? inner = null) => new(ErrorKind.InvalidParameter, message, inner);
    public static NetPortalException NotFound(string message) => new(ErrorKind.NotFound, message);
    public static NetPortalException Conflict(string message) => new(ErrorKind.Conflict, message);
    public static NetPortalException Forbidden(string message) => new(ErrorKind.Forbidden, message);
    public static NetPortalException Unavailable(string message) => new(ErrorKind.Unavailable, message);
    public static NetPortalException NotImplemented(string message) => new(ErrorKind.NotImplemented, message);
    public static NetPortalException Internal(string message, Exception? inner = null) => new(ErrorKind.Internal, message, inner);
}
