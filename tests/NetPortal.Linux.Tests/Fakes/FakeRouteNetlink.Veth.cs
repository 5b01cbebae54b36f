using System.Net;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Tests.Fakes;

/// <summary>
/// Veth pairs across fakes: deleting either end deletes the other wherever it lives, and
/// <see cref="SetNetworkNamespace"/> moves a link to the fake registered for the namespace file the fd refers to.
/// </summary>
public sealed partial class FakeRouteNetlink
{
    /// <summary>Own ifindex → the other end (its fake and its ifindex there).</summary>
    private readonly Dictionary<int, (FakeRouteNetlink Owner, int Index)> _vethPeers = [];

    /// <summary>Namespace file path → the fake standing for that namespace (for <see cref="SetNetworkNamespace"/>).</summary>
    public Dictionary<string, FakeRouteNetlink> NamespaceFiles { get; } = new(StringComparer.Ordinal);

    public void CreateVethPair(string name, string peerName, int mtu, int? peerNamespaceFd = null)
    {
        var target = this;
        lock (_lock)
        {
            Log($"veth {name} {peerName} mtu {mtu}" + (peerNamespaceFd is { } fd ? $" netns {Path.GetFileName(FdPath(fd))}" : ""));
            if (peerNamespaceFd is { } nsFd) target = Resolve(nsFd, $"create veth pair {name} <=> {peerName}");
        }
        using var first = _lock.EnterScope();
        using var second = target._lock.EnterScope();
        if (_links.ContainsKey(name) || target._links.ContainsKey(peerName) || (target == this && name == peerName))
            throw new NetlinkException(Errno.EEXIST, $"create veth pair {name} <=> {peerName}");
        var a = new LinkInfo(name, _nextIndex++, "veth", mtu > 0 ? mtu : 1500, false, "aa:00:00:00:00:01", 0);
        var b = new LinkInfo(peerName, target._nextIndex++, "veth", mtu > 0 ? mtu : 1500, false, "aa:00:00:00:00:02", 0);
        _links[name] = a;
        target._links[peerName] = b;
        _vethPeers[a.Index] = (target, b.Index);
        target._vethPeers[b.Index] = (this, a.Index);
    }

    public void SetMaster(string name, string masterName)
    {
        using var _ = _lock.EnterScope();
        Log($"master {name} {masterName}");
        var master = Require(masterName);
        _links[name] = Require(name) with { MasterIndex = master.Index };
    }

    public void SetNetworkNamespace(string name, int namespaceFd)
    {
        FakeRouteNetlink target;
        lock (_lock)
        {
            Log($"netns {name} {Path.GetFileName(FdPath(namespaceFd))}");
            target = Resolve(namespaceFd, $"set namespace of {name}");
        }
        if (target == this) return;
        using var first = _lock.EnterScope();
        using var second = target._lock.EnterScope();
        var link = Require(name);
        if (target._links.ContainsKey(name)) throw new NetlinkException(Errno.EEXIST, $"set namespace of {name}");
        _links.Remove(name);
        _addresses.RemoveAll(a => a.LinkIndex == link.Index);
        // The move closes the device (down), releases it from its master and flushes its addresses.
        var moved = link with { Index = target._nextIndex++, Up = false, MasterIndex = 0 };
        target._links[name] = moved;
        if (_vethPeers.Remove(link.Index, out var peer))
        {
            target._vethPeers[moved.Index] = peer;
            peer.Owner._vethPeers[peer.Index] = (target, moved.Index);
        }
    }

    public void SetName(string name, string newName)
    {
        using var _ = _lock.EnterScope();
        Log($"rename {name} {newName}");
        var link = Require(name);
        if (link.Up) throw new NetlinkException(Errno.EBUSY, $"rename {name}");
        if (_links.ContainsKey(newName)) throw new NetlinkException(Errno.EEXIST, $"rename {name} to {newName}");
        _links.Remove(name);
        _links[newName] = link with { Name = newName };
    }

    public void SetMacAddress(string name, byte[] macAddress)
    {
        using var _ = _lock.EnterScope();
        var text = string.Join(':', macAddress.Select(b => b.ToString("x2")));
        Log($"mac {name} {text}");
        var link = Require(name);
        if (macAddress.Length != 6) throw new NetlinkException(Errno.EINVAL, $"set address of {name}");
        if ((macAddress[0] & 1) != 0) throw new NetlinkException(Errno.EADDRNOTAVAIL, $"set address of {name}");
        _links[name] = link with { MacAddress = text };
    }

    public void AddAddressNoDad(string linkName, IPAddress address, int prefixLength)
    {
        using var _ = _lock.EnterScope();
        Log($"addr {linkName} {address}/{prefixLength} nodad");
        var link = Require(linkName);
        if (_addresses.Any(a => a.LinkIndex == link.Index && a.Address.Equals(address)))
            throw new NetlinkException(Errno.EEXIST, $"add address {address}");
        _addresses.Add(new AddressInfo(link.Index, address.AddressFamily, address, prefixLength));
    }

    // readlink(/proc/self/fd/N) names the file the fd was opened from, as the kernel resolves the fd to its nsfs inode.
    private static string FdPath(int fd) => new FileInfo($"/proc/self/fd/{fd}").LinkTarget ?? "";

    /// <summary>The fake registered for the fd's file; the kernel answers EINVAL for an fd that is no network namespace.</summary>
    private FakeRouteNetlink Resolve(int fd, string op) =>
        NamespaceFiles.TryGetValue(FdPath(fd), out var target) ? target : throw new NetlinkException(Errno.EINVAL, op);

    /// <summary>Called under the lock after a link was removed: the other end of a veth goes with it.</summary>
    private void RemoveVethPeer(int index)
    {
        if (!_vethPeers.Remove(index, out var peer)) return;
        var owner = peer.Owner;
        using var _ = owner._lock.EnterScope();
        owner._vethPeers.Remove(peer.Index);
        var other = owner._links.Values.FirstOrDefault(l => l.Index == peer.Index);
        if (other is null) return;
        owner._links.Remove(other.Name);
        owner._addresses.RemoveAll(a => a.LinkIndex == other.Index);
    }
}
