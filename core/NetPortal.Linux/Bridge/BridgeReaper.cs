using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Bridge;

/// <summary>
/// Deletes retired ("tombstone") bridges in the background, all of them with one RTM_DELLINK per round.
/// </summary>
/// <remarks>
/// Why: unregistering a netdevice is the most expensive thing a network remove does. The kernel runs it
/// under the rtnl mutex and waits for RCU grace periods (synchronize_net, netdev_wait_allrefs), measured at
/// 35-40 ms per bridge on a small VM, and deletions from several threads only queue on rtnl (8 in parallel
/// take as long as 8 in series, ~320 ms). A deletion by group (ifinfomsg index 0 + IFLA_GROUP, what
/// `ip link del group N` sends) unregisters all devices of the group in one unregister_netdevice_many(), so
/// the grace periods are paid once per round (~40 ms for one bridge, ~150 ms for eight).
/// So BridgeDriver.Teardown only makes a bridge inert (down, no addresses, renamed to npdel-XXXXXXXX and put
/// in group <see cref="TombstoneGroup"/>), which frees its name and its subnet at once, and calls
/// <see cref="Enqueue"/>; this reaper's thread then deletes the whole group, batching whatever retired
/// while the previous round ran. Errors are logged (and kept in <see cref="LastError"/>), never thrown at
/// the request that retired the bridge. <see cref="Dispose"/> finishes the pending rounds, so a clean
/// daemon stop leaves no tombstones; after a crash, BridgeDriver.RemoveOrphans removes the leftovers.
/// A round does not start the moment a bridge retires: it waits until no bridge retired for <see cref="Linger"/>
/// or <see cref="RoundSize"/> tombstones are pending (or someone flushes). A round holds rtnl for 40-150 ms,
/// and every network create needs rtnl too; starting a round right after each remove made the next create
/// wait for it (a create+remove loop paid a bridge deletion per create). Lingering, a busy daemon pays one
/// round per <see cref="RoundSize"/> removes, and an idle one cleans up within a fraction of a second.
/// Until a round takes them, tombstones can be revived: <see cref="TryTake"/> hands one to the next network
/// create, which renames it back (RouteNetlink.ReviveBridge) instead of creating a bridge. A remove/create churn
/// then deletes no bridge at all; a revive that loses a race with a round (ENODEV) just creates a bridge.
/// Give the reaper its own rtnetlink socket (NetNamespace.OpenRouteNetlink) where possible: a RouteNetlink
/// holds its lock for a whole request, and a group deletion takes 40-150 ms.
/// </remarks>
public sealed partial class BridgeReaper : IDisposable
{
    /// <summary>
    /// IFLA_GROUP of tombstone bridges: 0x4e50 is "NP" in ASCII. Group 0 is the kernel's "default" group
    /// of every device (and cannot be deleted by group), and iproute2's /etc/iproute2/group names no other
    /// group, so this one holds nothing but what NetPortal put there.
    /// </summary>
    public const uint TombstoneGroup = 0x4e50;

    /// <summary>Tombstone names are this prefix plus 8 hex digits: 14 bytes, within IFNAMSIZ (16 with the NUL).</summary>
    public const string TombstonePrefix = "npdel-";

    private readonly IRouteNetlink _netlink;
    private readonly ILogger _logger;
    private readonly TimeProvider _time = TimeProvider.System;

    // Monitor.Wait/PulseAll need an object monitor (System.Threading.Lock has no condition variable).
    private readonly object _gate = new();
    private Thread? _thread;
    private readonly List<string> _available = [];
    private long _roundsStarted;
    private long _roundsDone;
    private long _flushWanted;
    private long _lastEnqueue;
    private bool _stopping;
    private Exception? _lastError;
    private int _rounds;

    /// <param name="netlink">Best a socket of its own in the managed namespace (see remarks).</param>
    /// <param name="logger">Receives a line per round and every error.</param>
    public BridgeReaper(IRouteNetlink netlink, ILogger logger)
    {
        _netlink = netlink;
        _logger = logger;
    }

    /// <summary>How long no bridge must have retired before a round starts.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Pending tombstones that start a round without waiting for <see cref="Linger"/>.</summary>
    public int RoundSize { get; init; } = 32;

    /// <summary>Group deletions the reaper has sent (one RTM_DELLINK each).</summary>
    public int Rounds
    {
        get
        {
            lock (_gate)
            {
                return _rounds;
            }
        }
    }

    /// <summary>The last error of a round (also logged), or null.</summary>
    public Exception? LastError
    {
        get
        {
            lock (_gate)
            {
                return _lastError;
            }
        }
    }

    /// <summary>A fresh tombstone name, e.g. npdel-3fa94c01.</summary>
    public static string NewTombstoneName() => TombstonePrefix + RandomNumberGenerator.GetHexString(8, lowercase: true);

    /// <summary>True for a name <see cref="NewTombstoneName"/> makes.</summary>
    public static bool IsTombstoneName(string name) => TombstoneName().IsMatch(name);

    /// <summary>One more bridge was put in <see cref="TombstoneGroup"/> under <paramref name="tombstone"/>.</summary>
    public void Enqueue(string tombstone)
    {
        lock (_gate)
        {
            if (!_stopping)
            {
                _available.Add(tombstone);
                _lastEnqueue = _time.GetTimestamp();
                if (_thread is null)
                {
                    // Started on first use, so drivers that never tear anything down cost no thread.
                    _thread = new Thread(Work) { IsBackground = true, Name = "bridge reaper" };
                    _thread.Start();
                }

                Monitor.PulseAll(_gate);
                return;
            }
        }

        // After Dispose nobody would reap later: delete now, on the caller's thread.
        DeleteGroup(1);
    }

    /// <summary>Takes the most recently retired tombstone that no round has claimed yet, for reuse.</summary>
    public bool TryTake(out string tombstone)
    {
        lock (_gate)
        {
            if (_available.Count == 0)
            {
                tombstone = "";
                return false;
            }

            tombstone = _available[^1];
            _available.RemoveAt(_available.Count - 1);
            return true;
        }
    }

    /// <summary>Waits until every tombstone enqueued before the call has been deleted (or its round failed and was logged).</summary>
    public void Flush() => Flush(Timeout.InfiniteTimeSpan);

    /// <summary>As <see cref="Flush()"/>; false when <paramref name="timeout"/> passed first.</summary>
    public bool Flush(TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        lock (_gate)
        {
            // Tombstones not yet in a round need one more round; otherwise the one in flight (if any) is enough.
            var target = _available.Count > 0 ? _roundsStarted + 1 : _roundsStarted;
            _flushWanted = Math.Max(_flushWanted, target);
            Monitor.PulseAll(_gate);
            while (_roundsDone < target)
            {
                if (timeout == Timeout.InfiniteTimeSpan)
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                var left = timeout - waited.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }

                Monitor.Wait(_gate, left);
            }

            return true;
        }
    }

    /// <summary>Finishes the pending rounds, then stops the thread; later <see cref="Enqueue"/> calls delete inline.</summary>
    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            _stopping = true;
            thread = _thread;
            Monitor.PulseAll(_gate);
        }

        thread?.Join();
    }

    /// <summary>
    /// Start-up: deletes tombstones a crash left behind (a rename happened, the round did not), synchronously.
    /// Name and group are set in one request, but a name match alone is accepted too, for a group reset by hand.
    /// </summary>
    internal IReadOnlyList<string> RemoveLeftovers()
    {
        var leftovers = _netlink.DumpLinks()
            .Where(l => l.Group == TombstoneGroup || l.Kind == "bridge" && IsTombstoneName(l.Name)).ToList();
        if (leftovers.Count == 0)
        {
            return [];
        }

        if (leftovers.Any(l => l.Group == TombstoneGroup))
        {
            DeleteGroup(leftovers.Count);
        }

        foreach (var link in leftovers.Where(l => l.Group != TombstoneGroup))
        {
            DeleteByName(link.Name);
        }

        var gone = _netlink.DumpLinks().Select(l => l.Index).ToHashSet();
        return leftovers.Where(l => !gone.Contains(l.Index)).Select(l => $"removed leftover tombstone bridge {l.Name}").ToList();
    }

    private void Work()
    {
        while (true)
        {
            int count;
            lock (_gate)
            {
                while (_available.Count == 0 && _flushWanted <= _roundsStarted && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_available.Count == 0 && _flushWanted <= _roundsStarted)
                {
                    return; // stopping, nothing left
                }

                // Linger (see remarks): a flush, a stop or a full round cuts it short.
                while (!_stopping && _flushWanted <= _roundsStarted && _available.Count > 0 && _available.Count < RoundSize)
                {
                    var quiet = _time.GetElapsedTime(_lastEnqueue);
                    if (quiet >= Linger) break;
                    Monitor.Wait(_gate, Linger - quiet);
                }

                if (_available.Count == 0 && _flushWanted <= _roundsStarted)
                {
                    continue; // all revived meanwhile
                }

                count = _available.Count;
                _available.Clear();
                _roundsStarted++;
            }

            // A flush with nothing left to delete (all revived) still completes a round, an empty one.
            if (count > 0)
            {
                DeleteGroup(count);
            }

            lock (_gate)
            {
                _roundsDone++;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>One round: the whole group in one request; on an unexpected error, our tombstones one by one.</summary>
    private void DeleteGroup(long count)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            _netlink.DeleteLinkGroup(TombstoneGroup);
            lock (_gate)
            {
                _rounds++;
            }

            _logger.LogDebug("deleted {Count} tombstone bridges in one request in {Ms:F1} ms",
                count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            // Nothing left in the group: an earlier round (or RemoveLeftovers) already took these.
        }
        catch (Exception e)
        {
            // E.g. EOPNOTSUPP when someone moved a physical device into the group: the kernel then deletes
            // nothing, so fall back to the devices that carry our tombstone names.
            Fail(e, "deleting tombstone bridges by group failed; deleting them one by one");
            foreach (var link in SafeDump().Where(l => l.Group == TombstoneGroup && IsTombstoneName(l.Name)))
            {
                DeleteByName(link.Name);
            }
        }
    }

    private void DeleteByName(string name)
    {
        try
        {
            _netlink.DeleteLink(name);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
        }
        catch (Exception e)
        {
            Fail(e, $"deleting tombstone bridge {name} failed");
        }
    }

    private IReadOnlyList<LinkInfo> SafeDump()
    {
        try
        {
            return _netlink.DumpLinks();
        }
        catch (Exception e)
        {
            Fail(e, "listing links to find tombstone bridges failed");
            return [];
        }
    }

    private void Fail(Exception e, string message)
    {
        lock (_gate)
        {
            _lastError = e;
        }

        _logger.LogError(e, "{Message}", message);
    }

    [GeneratedRegex("^npdel-[0-9a-f]{8}$")]
    private static partial Regex TombstoneName();
}
