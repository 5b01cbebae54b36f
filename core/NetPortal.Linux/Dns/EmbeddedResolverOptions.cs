namespace NetPortal.Linux.Dns;

/// <summary>Limits of the embedded resolver; the defaults follow dockerd's resolver.go where it has one.</summary>
/// <param name="UpstreamTimeout">How long one upstream may take before the next is tried (dockerd: extIOTimeout 4 s).</param>
/// <param name="ForwardBudget">
/// Total time for all upstreams of one question. Kept below glibc's 5 s retry so that a client retrying a question
/// does not find the first attempt still occupying a slot.
/// </param>
/// <param name="MaxInFlight">Queries (UDP datagrams or TCP connections) served at once (dockerd: maxConcurrent 1024).</param>
/// <param name="TcpIdleTimeout">How long a TCP client may keep an idle connection open between questions.</param>
public sealed record EmbeddedResolverOptions(
    TimeSpan UpstreamTimeout,
    TimeSpan ForwardBudget,
    int MaxInFlight,
    TimeSpan TcpIdleTimeout)
{
    public EmbeddedResolverOptions() : this(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4.5), 1024, TimeSpan.FromSeconds(10)) { }
}
