namespace NetPortal.Linux.Dns;

/// <summary>A point-in-time copy of the resolver's counters (dockerd exports the same as libnetwork_resolver_* metrics).</summary>
/// <param name="Sandboxes">Sandboxes currently served.</param>
/// <param name="Queries">Questions received (parsed), local or not.</param>
/// <param name="LocalAnswers">Questions answered from the directory (A, AAAA, PTR, and NODATA for a known name).</param>
/// <param name="Forwards">Questions sent upstream.</param>
/// <param name="ForwardFailures">Forwarded questions that no upstream answered usefully (the client got SERVFAIL).</param>
/// <param name="Malformed">Packets that were not a usable DNS query: unparsable (dropped), or answered FORMERR/NOTIMP.</param>
/// <param name="AttachFailures">Attach calls that could not open the sockets or install the NAT rules.</param>
public sealed record EmbeddedResolverCounters(
    int Sandboxes,
    long Queries,
    long LocalAnswers,
    long Forwards,
    long ForwardFailures,
    long Malformed,
    long AttachFailures);
