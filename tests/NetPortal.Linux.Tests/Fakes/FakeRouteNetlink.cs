using System.Net;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Tests.Fakes;

/// <summary>
/// Links and addresses in memory, with the kernel's errnos for impossible sequences
/// (duplicate link or address → EEXIST, missing link → ENODEV, missing address → EADDRNOTAVAIL,
/// renaming a link that is up → EBUSY as before Linux 6.2, deleting group 0 → EPERM, an empty group → ENODEV).
/// Thread-safe like the real one (one lock around each operation): the bridge reaper calls it from its thread.
/// </summary>
public sealed partial class FakeRouteNetlink : IRouteNetlink
{
    private readonly Dictionary<string, LinkInfo> _links = new(StringComparer.Ordinal);
    private readonly List<AddressInfo> _addresses = [];
    private readonly Lock _lock = new();
    private int _nextIndex = 2;

    public FakeRouteNetlink() => _links["lo"] = new LinkInfo("lo", 1, "", 65536, false, "00:00:00:00:00:00", 0);

    /// <summary>Operation log, e.g. "create br-x", "addr br-x 10.0.0.1/24", "up br-x", "delete br-x".</summary>
    public List<string> Calls { get; } = [];
    public List<RouteInfo> Routes { get; } = [];
    /// <summary>Return an errno to make the operation whose log line starts with a given prefix fail.</summary>
    public Func<string, int?> FailWhen { get; set; } = _ => null;
    /// <summary>Runs (outside the lock) before each group deletion, e.g. to hold the reaper in a test.</summary>
    public Action BeforeGroupDelete { get; set; } = () => { };
    /// <summary>Runs (outside the lock) after a group deletion took its links, like the kernel's wait for grace periods.</summary>
    public Action AfterGroupDelete { get; set; } = () => { };

    /// <summary>A snapshot of the links, by name.</summary>
    public IReadOnlyDictionary<string, LinkInfo> Links { get { lock (_lock) return new Dictionary<string, LinkInfo>(_links); } }
    public IReadOnlyList<AddressInfo> Addresses { get { lock (_lock) return [.. _addresses]; } }
    /// <summary>A snapshot of <see cref="Calls"/>, safe while the reaper runs.</summary>
    public IReadOnlyList<string> CallLog { get { lock (_lock) return [.. Calls]; } }

    public void AddExistingLink(string name, string kind, bool up = false, int mtu = 1500, uint group = 0)
    {
        lock (_lock) _links[name] = new LinkInfo(name, _nextIndex++, kind, mtu, up, "02:42:00:00:00:01", 0, group);
    }

    public LinkInfo? GetLink(string name) { lock (_lock) return _links.GetValueOrDefault(name); }
    public IReadOnlyList<LinkInfo> DumpLinks() { lock (_lock) return [.. _links.Values]; }
    public IReadOnlyList<AddressInfo> DumpAddresses() { lock (_lock) return [.. _addresses]; }
    public IReadOnlyList<RouteInfo> DumpRoutes() { lock (_lock) return [.. Routes]; }

    public void CreateBridge(string name, int mtu)
    {
        using var _ = _lock.EnterScope();
        Log($"create {name}");
        if (_links.ContainsKey(name)) throw new NetlinkException(Errno.EEXIST, $"create bridge {name}");
        _links[name] = new LinkInfo(name, _nextIndex++, "bridge", mtu > 0 ? mtu : 1500, false, "02:42:00:00:00:02", 0);
    }

    public void ReviveBridge(string tombstone, string name, int mtu)
    {
        using var _ = _lock.EnterScope();
        Log($"revive {tombstone} {name}");
        var link = Require(tombstone);
        if (_links.ContainsKey(name)) throw new NetlinkException(Errno.EEXIST, $"revive bridge {tombstone} as {name}");
        _links.Remove(tombstone);
        _links[name] = link with { Name = name, Group = 0, Mtu = mtu > 0 ? mtu : 1500 };
    }

    public void DeleteLink(string name)
    {
        using var _ = _lock.EnterScope();
        Log($"delete {name}");
        var link = Require(name);
        _links.Remove(name);
        _addresses.RemoveAll(a => a.LinkIndex == link.Index);
        RemoveVethPeer(link.Index);
    }

    public void SetUp(string name)
    {
        using var _ = _lock.EnterScope();
        Log($"up {name}");
        _links[name] = Require(name) with { Up = true };
    }

    public void SetMtu(string name, int mtu)
    {
        using var _ = _lock.EnterScope();
        Log($"mtu {name} {mtu}");
        _links[name] = Require(name) with { Mtu = mtu };
    }

    public void AddAddress(string linkName, IPAddress address, int prefixLength)
    {
        using var _ = _lock.EnterScope();
        Log($"addr {linkName} {address}/{prefixLength}");
        var link = Require(linkName);
        if (_addresses.Any(a => a.LinkIndex == link.Index && a.Address.Equals(address)))
            throw new NetlinkException(Errno.EEXIST, $"add address {address}");
        _addresses.Add(new AddressInfo(link.Index, address.AddressFamily, address, prefixLength));
    }

    public void DeleteAddress(string linkName, IPAddress address, int prefixLength)
    {
        using var _ = _lock.EnterScope();
        Log($"deladdr {linkName} {address}/{prefixLength}");
        var link = Require(linkName);
        if (_addresses.RemoveAll(a => a.LinkIndex == link.Index && a.Address.Equals(address) && a.PrefixLength == prefixLength) == 0)
            throw new NetlinkException(Errno.EADDRNOTAVAIL, $"delete address {address}");
    }

    public void SetDown(string name)
    {
        using var _ = _lock.EnterScope();
        Log($"down {name}");
        _links[name] = Require(name) with { Up = false };
    }

    public void SetLinkName(string name, string newName, uint group)
    {
        using var _ = _lock.EnterScope();
        Log($"rename {name} {newName} group {group}");
        var link = Require(name);
        if (link.Up) throw new NetlinkException(Errno.EBUSY, $"rename {name}");
        if (_links.ContainsKey(newName)) throw new NetlinkException(Errno.EEXIST, $"rename {name} to {newName}");
        _links.Remove(name);
        _links[newName] = link with { Name = newName, Group = group };
    }

    public void DeleteLinkGroup(uint group)
    {
        BeforeGroupDelete();
        lock (_lock)
        {
            Log($"delete group {group}");
            if (group == 0) throw new NetlinkException(Errno.EPERM, "delete group 0");
            var doomed = _links.Values.Where(l => l.Group == group).ToList();
            if (doomed.Count == 0) throw new NetlinkException(Errno.ENODEV, $"delete group {group}");
            foreach (var link in doomed)
            {
                _links.Remove(link.Name);
                _addresses.RemoveAll(a => a.LinkIndex == link.Index);
            }
        }
        AfterGroupDelete();
    }

    private LinkInfo Require(string name) =>
        _links.GetValueOrDefault(name) ?? throw new NetlinkException(Errno.ENODEV, $"link {name}");

    private void Log(string call)
    {
        if (FailWhen(call) is { } errno) throw new NetlinkException(errno, call);
        Calls.Add(call);
    }

}
