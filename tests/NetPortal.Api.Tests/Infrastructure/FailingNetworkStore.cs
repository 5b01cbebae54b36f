using NetPortal.Core.Networks;
using NetPortal.Data;

namespace NetPortal.Api.Tests.Infrastructure;

/// <summary>The real in-memory SQLite store, with a switch that makes writes fail like a broken disk would.</summary>
public sealed class FailingNetworkStore(SqliteNetworkStore inner) : INetworkStore
{
    public const string FailureMessage = "disk I/O error (injected)";

    public SqliteNetworkStore Inner { get; } = inner;

    public volatile bool FailAdds;
    public volatile bool FailRemoves;

    public Task<IReadOnlyList<Network>> LoadAllAsync(CancellationToken ct = default) => Inner.LoadAllAsync(ct);

    public Task AddAsync(Network network, CancellationToken ct = default) =>
        FailAdds ? throw new IOException(FailureMessage) : Inner.AddAsync(network, ct);

    public Task RemoveAsync(string id, CancellationToken ct = default) =>
        FailRemoves ? throw new IOException(FailureMessage) : Inner.RemoveAsync(id, ct);
}
