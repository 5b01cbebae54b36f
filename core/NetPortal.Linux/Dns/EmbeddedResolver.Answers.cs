using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using NetPortal.Core.Dns;

namespace NetPortal.Linux.Dns;

public sealed partial class EmbeddedResolver
{
    /// <summary>dockerd answers its own records with TTL 600 (resolver.go respTTL).</summary>
    private const int Ttl = 600;

    /// <summary>Called by the sandbox's ARSoft server for each parsed message; the response it sets is what is sent.</summary>
    private async Task OnQueryAsync(SandboxListener listener, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query || !query.IsQuery)
        {
            // Not a question (an answer or an update sent to us): say so instead of treating it as one.
            Interlocked.Increment(ref _malformed);
            e.Response = Failure(e.Query, ReturnCode.FormatError);
            return;
        }
        Interlocked.Increment(ref _queries);
        if (query.OperationCode != OperationCode.Query)
        {
            Interlocked.Increment(ref _malformed);
            e.Response = Reply(query, ReturnCode.NotImplemented);
            return;
        }
        if (query.Questions.Count != 1)
        {
            Interlocked.Increment(ref _malformed);
            e.Response = Reply(query, ReturnCode.FormatError);
            return;
        }
        var target = listener.Current;
        try
        {
            var local = AnswerLocally(query, target.ContainerId, target.Directory);
            if (local is not null)
            {
                Interlocked.Increment(ref _localAnswers);
                e.Response = local;
                return;
            }
            e.Response = await ForwardAsync(listener, e, query, target).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A failing directory or a bug must cost one answer, never the listener.
            _logger.LogDebug(ex, "embedded DNS question {Question} failed", query.Questions[0]);
            e.Response = Reply(query, ReturnCode.ServerFailure);
        }
    }

    private async Task<DnsMessage> ForwardAsync(SandboxListener listener, QueryReceivedEventArgs e, DnsMessage query, SandboxListener.Target target)
    {
        var raw = listener.Pending.Take(e.TransportProtocol, e.RemoteEndpoint, query.TransactionID);
        var upstreams = UpstreamForwarder.ParseUpstreams(target.Directory.Upstreams(target.ContainerId));
        Interlocked.Increment(ref _forwards);
        DnsMessage? answer = null;
        if (raw is not null && upstreams.Count > 0)
            answer = await _forwarder.ForwardAsync(raw, query.TransactionID, e.TransportProtocol == TransportProtocol.Tcp, upstreams, listener.Stopping).ConfigureAwait(false);
        if (answer is not null) return answer;
        Interlocked.Increment(ref _forwardFailures);
        return Reply(query, ReturnCode.ServerFailure);
    }

    /// <summary>
    /// The directory's answer, or null to forward. As dockerd: A/AAAA of a known name (all addresses, shuffled), an
    /// empty success for the other family or MX of a known name (so clients do not wait on upstreams for it), PTR for
    /// addresses of containers on a shared network.
    /// </summary>
    private static DnsMessage? AnswerLocally(DnsMessage query, string containerId, IDnsDirectory directory)
    {
        var question = query.Questions[0];
        if (question.RecordClass != RecordClass.INet || question.Name.LabelCount == 0) return null;
        var name = string.Join('.', question.Name.Labels);
        switch (question.RecordType)
        {
            case RecordType.A:
            case RecordType.Aaaa:
            {
                var v6 = question.RecordType == RecordType.Aaaa;
                var found = directory.Lookup(containerId, name, v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork).ToArray();
                if (found.Length == 0)
                    return directory.Lookup(containerId, name, v6 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6).Count > 0
                        ? Reply(query, ReturnCode.NoError)
                        : null;
                // Round robin by shuffling, as dockerd does for several containers sharing an alias.
                Random.Shared.Shuffle(found);
                var reply = Reply(query, ReturnCode.NoError);
                foreach (var address in found)
                    reply.AnswerRecords.Add(v6 ? new AaaaRecord(question.Name, Ttl, address) : new ARecord(question.Name, Ttl, address));
                return reply;
            }
            case RecordType.Mx:
                return directory.Lookup(containerId, name, AddressFamily.InterNetwork).Count > 0
                    || directory.Lookup(containerId, name, AddressFamily.InterNetworkV6).Count > 0
                    ? Reply(query, ReturnCode.NoError)
                    : null;
            case RecordType.Ptr:
            {
                var address = ReverseName.TryParse(question.Name.Labels);
                if (address is null) return null;
                var names = directory.ReverseLookup(containerId, address);
                if (names.Count == 0) return null;
                var reply = Reply(query, ReturnCode.NoError);
                foreach (var n in names) reply.AnswerRecords.Add(new PtrRecord(question.Name, Ttl, DomainName.Parse(n.TrimEnd('.'))));
                return reply;
            }
            default:
                return null;
        }
    }

    private static DnsMessage Reply(DnsMessage query, ReturnCode code)
    {
        var reply = query.CreateResponseInstance();
        reply.ReturnCode = code;
        reply.IsRecursionAllowed = true;
        return reply;
    }

    private static DnsMessageBase? Failure(DnsMessageBase? query, ReturnCode code)
    {
        if (query is not DnsMessage m) return null;
        var reply = Reply(m, code);
        return reply;
    }
}
