using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;

namespace NetPortal.Linux.Firewall;

/// <summary>
/// Group commit. An iptables-restore costs a process spawn plus an nf_tables commit (5-7 ms to add rules,
/// 15-35 ms to delete them, since rule deletion waits for an RCU grace period), nearly independent of how
/// many lines it carries. So while one restore runs, new changes queue; the caller whose change is at the
/// head of the queue then leads: it plans every queued change in order on the in-memory model and writes
/// one restore input per family. Each caller returns once the restore that carried its change succeeded.
/// If a shared restore fails, nobody can tell whose line the kernel refused, so the queued changes are
/// applied again one by one from a fresh iptables-save; only the faulty caller then gets an error. That
/// replay is safe because every plan is "ensure" shaped (-I/-A only what is missing, -D only what exists).
/// </summary>
public sealed partial class IptablesFirewall
{
    // Monitor.Wait/PulseAll need an object monitor (System.Threading.Lock has no condition variable).
    private readonly object _queueGate = new();
    private readonly List<Request> _queue = [];
    private bool _leading;

    /// <summary>Changes queued and not yet taken into a restore (for tests).</summary>
    internal int Pending
    {
        get
        {
            lock (_queueGate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Restores that carried more than one caller's change (for tests and timing logs).</summary>
    internal int SharedRestores { get; private set; }

    private IReadOnlyList<string> Submit(Request request)
    {
        lock (_queueGate)
        {
            _queue.Add(request);
            if (!_leading)
            {
                _leading = true;
                request.Leads = true;
            }

            while (!request.Done && !request.Leads)
            {
                Monitor.Wait(_queueGate);
            }
        }

        if (!request.Done)
        {
            LeadOneBatch();
        }

        return request.Result();
    }

    /// <summary>Runs one batch (which always holds the leader's own request), then hands the lead on.</summary>
    private void LeadOneBatch()
    {
        List<Request> batch;
        lock (_queueGate)
        {
            // A fresh request (Initialize, Reconcile) re-reads the kernel, which would not yet show the
            // changes planned before it in the same batch; so it always runs alone.
            var count = _queue[0].Fresh ? 1 : _queue.TakeWhile(r => !r.Fresh).Count();
            batch = _queue.GetRange(0, count);
            _queue.RemoveRange(0, count);
        }

        try
        {
            lock (_lock)
            {
                if (batch.Count == 1 || !TryTogether(batch))
                {
                    foreach (var request in batch)
                    {
                        RunAlone(request);
                    }
                }
            }
        }
        catch (Exception e)
        {
            foreach (var request in batch.Where(r => r.Error is null && r.Changes is null))
            {
                request.Error = ExceptionDispatchInfo.Capture(e);
            }
        }
        finally
        {
            lock (_queueGate)
            {
                foreach (var request in batch)
                {
                    request.Done = true;
                }

                if (_queue.Count > 0)
                {
                    _queue[0].Leads = true;
                }
                else
                {
                    _leading = false;
                }

                Monitor.PulseAll(_queueGate);
            }
        }
    }

    /// <summary>The pre-group-commit path: each family of one request in its own restore, errors to that caller.</summary>
    private void RunAlone(Request request)
    {
        try
        {
            if (request.Fresh)
            {
                _known.Clear();
            }

            var changes = new List<string>();
            foreach (var step in request.Steps)
            {
                changes.AddRange(ChangeLocked(step.Family, step.Required, step.Plan));
            }

            request.Changes = changes;
        }
        catch (Exception e)
        {
            request.Error = ExceptionDispatchInfo.Capture(e);
        }
    }

    /// <summary>All requests of the batch in one restore per family; false (and no cached model) when any part failed.</summary>
    private bool TryTogether(List<Request> batch)
    {
        var changes = batch.ToDictionary(r => r, _ => new List<string>());
        try
        {
            foreach (var family in new[] { V4, V6 })
            {
                var steps = batch.SelectMany(r => r.Steps.Select(s => (Request: r, Step: s))).Where(x => x.Step.Family == family).ToList();
                if (steps.Count == 0)
                {
                    continue;
                }

                if (!_known.TryGetValue(family.Name, out var state))
                {
                    var save = Run(family.Save, [], null);
                    if (save.ExitCode != 0)
                    {
                        logger.LogWarning("{Command} failed, applying {Count} queued changes one by one: {Error}", family.Save, batch.Count, save.StdErr.Trim());
                        return false;
                    }

                    state = IptablesRuleset.Parse(save.StdOut);
                    ForgetHandles(family);
                }

                var byHandle = PrepareHandles(family, state);
                _known.Remove(family.Name);
                var plan = new IptablesBatch(state, family.Name);
                foreach (var (request, step) in steps)
                {
                    var before = plan.Changes.Count;
                    step.Plan(plan);
                    changes[request].AddRange(plan.Changes.Skip(before));
                }

                if (plan.IsEmpty)
                {
                    _known[family.Name] = plan.State;
                    continue;
                }

                if (byHandle && TryWriteNetlink(family, plan))
                {
                    SharedRestores++;
                    Accepted(family, plan);
                    continue;
                }

                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var restore = Run(family.Restore, ["--noflush", "-w"], plan.RenderRestoreInput());
                ForgetHandles(family);
                logger.LogDebug("{Command} of {Lines} lines for {Calls} calls took {Ms:F1} ms", family.Restore, plan.Changes.Count, batch.Count,
                    System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (restore.ExitCode != 0)
                {
                    logger.LogWarning("{Command} of {Count} queued changes failed, applying them one by one: {Error}", family.Restore, batch.Count, restore.StdErr.Trim());
                    return false;
                }

                SharedRestores++;
                Accepted(family, plan);
            }
        }
        catch (Exception e)
        {
            // E.g. the program could not be started; one by one gives each caller its own error.
            logger.LogWarning(e, "shared restore of {Count} queued changes failed, applying them one by one", batch.Count);
            return false;
        }

        foreach (var request in batch)
        {
            request.Changes = changes[request];
        }

        return true;
    }

    private sealed record Step(Family Family, bool Required, Action<IptablesBatch> Plan);

    /// <summary>One caller's change; <see cref="Done"/> and <see cref="Leads"/> are guarded by <c>_queueGate</c>.</summary>
    private sealed class Request(bool Fresh, IReadOnlyList<Step> Steps)
    {
        public bool Fresh { get; } = Fresh;

        public IReadOnlyList<Step> Steps { get; } = Steps;

        public bool Leads { get; set; }

        public bool Done { get; set; }

        public List<string>? Changes { get; set; }

        public ExceptionDispatchInfo? Error { get; set; }

        public IReadOnlyList<string> Result()
        {
            Error?.Throw();
            return Changes ?? [];
        }
    }
}
