using System.Runtime.InteropServices;

namespace NetPortal.Linux.Interop;

/// <summary>Owns a netlink socket fd; the fd keeps the namespace it was created in alive for its whole life.</summary>
internal sealed class NetlinkHandle : SafeHandle
{
    public NetlinkHandle() : base(new IntPtr(-1), ownsHandle: true) { }

    public NetlinkHandle(int fd) : this() => SetHandle(new IntPtr(fd));

    public override bool IsInvalid => handle.ToInt64() < 0;

    public int Fd => (int)handle.ToInt64();

    protected override bool ReleaseHandle() => Tmds.Linux.LibC.close((int)handle.ToInt64()) == 0;
}
