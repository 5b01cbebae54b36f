namespace NetPortal.Linux.Netlink;

/// <summary>A syscall or a kernel netlink reply failed; <see cref="Errno"/> is the positive errno.</summary>
public sealed class NetlinkException(int errno, string operation)
    : Exception($"{operation}: {Interop.Errno.Describe(errno)}")
{
    public int Errno { get; } = errno;
    public string Operation { get; } = operation;
    /// <summary>Go's strerror text (what Docker puts in its messages).</summary>
    public string Description => Interop.Errno.Describe(Errno);
}
