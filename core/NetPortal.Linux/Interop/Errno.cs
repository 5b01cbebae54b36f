namespace NetPortal.Linux.Interop;

/// <summary>errno values the drivers translate, with Go's strerror text so messages match Docker's.</summary>
internal static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13;
    public const int EBUSY = 16, EEXIST = 17, ENODEV = 19, EINVAL = 22, ERANGE = 34, EOPNOTSUPP = 95;
    public const int EAFNOSUPPORT = 97, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENOBUFS = 105;

    public static string Describe(int errno) => errno switch
    {
        EPERM => "operation not permitted",
        ENOENT => "no such file or directory",
        ESRCH => "no such process",
        EINTR => "interrupted system call",
        EBADF => "bad file descriptor",
        EAGAIN => "resource temporarily unavailable",
        ENOMEM => "cannot allocate memory",
        EACCES => "permission denied",
        EBUSY => "device or resource busy",
        EEXIST => "file exists",
        ENODEV => "no such device",
        EINVAL => "invalid argument",
        ERANGE => "numerical result out of range",
        EOPNOTSUPP => "operation not supported",
        EAFNOSUPPORT => "address family not supported by protocol",
        EADDRINUSE => "address already in use",
        EADDRNOTAVAIL => "cannot assign requested address",
        ENOBUFS => "no buffer space available",
        _ => $"errno {errno}",
    };
}
