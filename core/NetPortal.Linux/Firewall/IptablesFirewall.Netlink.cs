using Microsoft.Extensions.Logging;
using NetPortal.Linux.Netfilter;

namespace NetPortal.Linux.Firewall;

public sealed partial class IptablesFirewall : IDisposable
{
    private IptablesNetlink? _netlink;
    private bool _netlinkBroken;

    /// <summary>
    /// The managed namespace's file (e.g. /var/run/netns/X). When set, rule changes are written over nf_tables
    /// netlink by handle (see IptablesNetlink) and iptables-restore is only used for what that cannot write;
    /// when null, every change is an iptables-restore.
    /// </summary>
    public string? NetlinkNamespacePath { get; init; }

    /// <summary>Netlink changes written so far (for tests: proves the fast path was taken).</summary>
    internal int NetlinkCommits { get; private set; }

    public void Dispose() => _netlink?.Dispose();

    private IptablesNetlink? Netlink
    {
        get
        {
            if (_netlink is null && !_netlinkBroken && NetlinkNamespacePath is { } path)
            {
                _netlink = new IptablesNetlink(() => NftSocket.OpenIn(path));
            }

            return _netlinkBroken ? null : _netlink;
        }
    }

    private static bool IsV6(Family family) => family == V6;

    /// <summary>Lines the kernel's rule handles up with the model; false when there is no netlink path or they differ.</summary>
    private bool PrepareHandles(Family family, IptablesRuleset state)
    {
        var netlink = Netlink;
        if (netlink is null) return false;
        try
        {
            return netlink.Prepare(family.Name, IsV6(family), state);
        }
        catch (Exception e)
        {
            // No NETLINK_NETFILTER here (e.g. a kernel without nf_tables, i.e. iptables-legacy): restore only, for good.
            logger.LogWarning(e, "nf_tables netlink unavailable, using {Command} for every change", family.Restore);
            _netlinkBroken = true;
            return false;
        }
    }

    private void DisableNetlink(string why)
    {
        logger.LogWarning("nf_tables netlink disabled, iptables-restore for every change: {Why}", why);
        _netlinkBroken = true;
    }

    /// <summary>True when the batch went in over netlink; false when it must go through iptables-restore.</summary>
    private bool TryWriteNetlink(Family family, IptablesBatch batch)
    {
        var netlink = Netlink;
        if (netlink is null) return false;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (netlink.TryWrite(family.Name, IsV6(family), batch) != IptablesNetlink.Outcome.Written) return false;
        NetlinkCommits++;
        logger.LogDebug("nf_tables batch of {Lines} changes ({Family}) took {Ms:F1} ms", batch.Changes.Count, family.Name,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return true;
    }

    /// <summary>After an iptables-restore the handles of the rules it added are unknown until read again.</summary>
    private void ForgetHandles(Family family) => _netlink?.Forget(family.Name);
}
