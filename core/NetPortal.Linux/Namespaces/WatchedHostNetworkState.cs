using System.Net;
using System.Net.Sockets;
using NetPortal.Core.Drivers;
using NetPortal.Core.Ipam;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Namespaces;

/// <summary>
/// The managed namespace's addresses and main-table routes kept in memory and updated from rtnetlink
/// notifications (link, IPv4/IPv6 address and route groups), so an IPAM overlap check never dumps the namespace:
/// with 500 bridges a dump is 1000+ objects and was most of a network create's bookkeeping.
/// <para>
/// The subscription is opened before the first dump, and every read first drains what is queued on it (without
/// blocking), so a change the kernel made before the call is always seen. Applying a notification is idempotent
/// (objects are keyed by their identity), so replaying ones that the dump already reflects is harmless. When the
/// kernel reports that notifications were dropped (ENOBUFS), the queue is discarded and everything is re-read.
/// </para>
/// <para>
/// IPv4 drops routes through a device without a notification when the device is deleted or goes down; those are
/// dropped here on the link's RTM_DELLINK and on its up→down change. <see cref="GetOccupiedPrefixes"/> (the
/// insight view, polled every few seconds off the request path) re-reads the namespace, which also repairs
/// anything else the kernel flushes silently (e.g. routes whose preferred source address was removed).
/// </para>
/// </summary>
public sealed class WatchedHostNetworkState : IHostNetworkState, IDisposable
{
    private const uint Groups = RouteGroups.RTMGRP_LINK | RouteGroups.RTMGRP_IPV4_IFADDR | RouteGroups.RTMGRP_IPV6_IFADDR
        | RouteGroups.RTMGRP_IPV4_ROUTE | RouteGroups.RTMGRP_IPV6_ROUTE;

    /// <summary>Room for thousands of notifications between two reads (container churn without network creates).</summary>
    private const int ReceiveBuffer = 4 << 20;

    private readonly IRouteNotifications _events;
    private readonly RouteNetlink _netlink;
    private readonly bool _ownsNetlink;
    private readonly Lock _lock = new();
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly Dictionary<int, (string Name, bool Up)> _links = [];
    private readonly Dictionary<AddressKey, Cidr> _addresses = [];
    private readonly Dictionary<RouteKey, Cidr> _routes = [];
    private PrefixIndex _index = PrefixIndex.Empty;
    private bool _disposed;

    private readonly record struct AddressKey(int Link, UInt128 Address, Cidr Prefix);

    private readonly record struct RouteKey(Cidr Destination, byte Tos, uint Priority, int Link);

    /// <summary>Subscribes inside <paramref name="ns"/>, then reads its addresses and routes once.</summary>
    public static WatchedHostNetworkState Open(NetNamespace ns)
    {
        var events = ns.Run(() => RouteSubscription.Open(Groups, ReceiveBuffer));
        RouteNetlink? netlink = null;
        try
        {
            netlink = ns.OpenRouteNetlink();
            return new WatchedHostNetworkState(events, netlink, ownsNetlink: true);
        }
        catch
        {
            netlink?.Dispose();
            events.Dispose();
            throw;
        }
    }

    /// <param name="events">Already subscribed: the first dump must come after the subscription.</param>
    /// <param name="netlink">Socket in the same namespace for the full reads.</param>
    internal WatchedHostNetworkState(IRouteNotifications events, RouteNetlink netlink, bool ownsNetlink)
    {
        _events = events;
        _netlink = netlink;
        _ownsNetlink = ownsNetlink;
        lock (_lock) Resync();
    }

    /// <summary>Full reads so far: one at start, one per overflow, one per <see cref="GetOccupiedPrefixes"/>.</summary>
    internal int Resyncs { get; private set; }

    public PrefixIndex GetOccupiedIndex()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Drain();
            return _index;
        }
    }

    public IReadOnlyList<HostPrefix> GetOccupiedPrefixes()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Drain();
            Resync();
            string Dev(int index) => _links.TryGetValue(index, out var l) ? l.Name : "";
            var result = new List<HostPrefix>(_addresses.Count + _routes.Count);
            foreach (var (key, prefix) in _addresses) result.Add(new HostPrefix(prefix, Dev(key.Link), "address"));
            foreach (var (key, prefix) in _routes) result.Add(new HostPrefix(prefix, Dev(key.Link), "route"));
            return result;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _events.Dispose();
            if (_ownsNetlink) _netlink.Dispose();
        }
    }

    /// <summary>Applies every queued notification; after an overflow, discards the queue and re-reads. Caller holds the lock.</summary>
    private void Drain()
    {
        var overflow = false;
        while (true)
        {
            int n;
            try
            {
                n = _events.TryReceive(_buffer);
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENOBUFS)
            {
                overflow = true;
                continue;
            }
            if (n == 0) break;
            // Once something was lost, what follows cannot be applied on top: the re-read below replaces it all.
            if (overflow) continue;
            var reader = new NetlinkReader(_buffer.AsSpan(0, n));
            while (reader.TryRead(out var m)) Apply(in m);
        }
        if (overflow) Resync();
    }

    /// <summary>Replaces the state with a dump of links, addresses and routes. Caller holds the lock.</summary>
    private void Resync()
    {
        _links.Clear();
        _addresses.Clear();
        _routes.Clear();
        _index = PrefixIndex.Empty;
        _netlink.Exchange("dump links", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_GETLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, seq);
            w.WriteHeader(new ifinfomsg());
        }, Apply, dump: true);
        _netlink.Exchange("dump addresses", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_GETADDR, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, seq);
            w.WriteHeader(new ifaddrmsg());
        }, Apply, dump: true);
        _netlink.Exchange("dump routes", (ref NetlinkWriter w, uint seq) =>
        {
            w.BeginMessage(Nl.RTM_GETROUTE, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, seq);
            w.WriteHeader(new rtmsg());
        }, Apply, dump: true);
        Resyncs++;
    }

    /// <summary>One dump reply or notification. Idempotent: applying it twice leaves the same state.</summary>
    private void Apply(in NetlinkMessage m)
    {
        switch (m.Type)
        {
            case Nl.RTM_NEWLINK or Nl.RTM_DELLINK:
                ApplyLink(in m);
                break;
            case Nl.RTM_NEWADDR or Nl.RTM_DELADDR:
                if (RouteNetlink.ParseAddress(m) is not { } a || Occupied(a.Family, a.Address, a.PrefixLength) is not { } prefix) return;
                var addressKey = new AddressKey(a.LinkIndex, Cidr.ToUInt128(a.Address), prefix);
                if (m.Type == Nl.RTM_NEWADDR) Put(_addresses, addressKey, prefix);
                else Drop(_addresses, addressKey);
                break;
            case Nl.RTM_NEWROUTE or Nl.RTM_DELROUTE:
                if (ParseRoute(in m) is not { } route) return;
                if (m.Type == Nl.RTM_DELROUTE)
                {
                    Drop(_routes, route);
                    break;
                }
                // A replaced route (same destination, TOS and metric) gets no RTM_DELROUTE of its own.
                if ((m.Flags & Nl.NLM_F_REPLACE) != 0)
                    foreach (var old in _routes.Keys.Where(k => k with { Link = route.Link } == route).ToList()) Drop(_routes, old);
                Put(_routes, route, route.Destination);
                break;
        }
    }

    private void ApplyLink(in NetlinkMessage m)
    {
        var hdr = m.ReadHeader<ifinfomsg>(out var attrs);
        // AF_BRIDGE link messages are about bridge ports (an RTM_DELLINK there is a port leaving its bridge).
        if (hdr.ifi_family != Nl.AF_UNSPEC) return;
        var index = hdr.ifi_index;
        if (m.Type == Nl.RTM_DELLINK)
        {
            // The kernel forgets the device's addresses and routes; IPv4 says nothing about the routes.
            _links.Remove(index);
            foreach (var k in _addresses.Keys.Where(k => k.Link == index).ToList()) Drop(_addresses, k);
            DropRoutesVia(index);
            return;
        }
        string? name = null;
        while (attrs.TryRead(out var type, out var value))
            if (type == Nl.IFLA_IFNAME) name = AttributeReader.ReadString(value);
        var up = (hdr.ifi_flags & Nl.IFF_UP) != 0;
        var known = _links.TryGetValue(index, out var old);
        // Going down removes the device's routes (IPv4 without a notification); its addresses stay.
        if (known && old.Up && !up) DropRoutesVia(index);
        _links[index] = (name ?? (known ? old.Name : ""), up);
    }

    private void DropRoutesVia(int index)
    {
        foreach (var k in _routes.Keys.Where(k => k.Link == index).ToList()) Drop(_routes, k);
    }

    private static RouteKey? ParseRoute(in NetlinkMessage m)
    {
        var hdr = m.ReadHeader<rtmsg>(out var attrs);
        if (hdr.rtm_family is not (Nl.AF_INET or Nl.AF_INET6) || hdr.rtm_dst_len == 0) return null;
        uint table = hdr.rtm_table, priority = 0;
        var oif = 0;
        IPAddress? dst = null;
        while (attrs.TryRead(out var type, out var value))
        {
            switch (type)
            {
                case Nl.RTA_TABLE: table = AttributeReader.ReadUInt32(value); break;
                case Nl.RTA_DST: dst = new IPAddress(value); break;
                case Nl.RTA_OIF: oif = (int)AttributeReader.ReadUInt32(value); break;
                case RouteGroups.RTA_PRIORITY: priority = AttributeReader.ReadUInt32(value); break;
            }
        }
        // Main table only, as RouteNetlink.DumpRoutes: the local table's per-address and broadcast routes are not prefixes in use.
        if (table != Nl.RT_TABLE_MAIN || dst is null) return null;
        var family = hdr.rtm_family == Nl.AF_INET6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        return Occupied(family, dst, hdr.rtm_dst_len) is { } prefix ? new RouteKey(prefix, hdr.rtm_tos, priority, oif) : null;
    }

    private static Cidr? Occupied(AddressFamily family, IPAddress address, int prefixLength)
    {
        var bits = family == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (address.AddressFamily != family || prefixLength <= 0 || prefixLength > bits) return null;
        var prefix = new Cidr(family, Cidr.ToUInt128(address) & Cidr.MaskOf(bits, prefixLength), prefixLength);
        return HostNetworkState.IsIgnored(prefix) ? null : prefix;
    }

    private void Put<TKey>(Dictionary<TKey, Cidr> map, TKey key, Cidr prefix) where TKey : notnull
    {
        if (map.TryAdd(key, prefix)) _index = _index.Add(prefix);
    }

    private void Drop<TKey>(Dictionary<TKey, Cidr> map, TKey key) where TKey : notnull
    {
        if (map.Remove(key, out var prefix)) _index = _index.Remove(prefix);
    }
}
