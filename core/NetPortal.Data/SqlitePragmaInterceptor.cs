using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NetPortal.Data;

/// <summary>Applies the per-connection pragmas each time EF opens a connection.</summary>
/// <remarks>
/// foreign_keys and synchronous are connection state in SQLite (https://sqlite.org/pragma.html), not
/// stored in the file, so a pooled connection from Microsoft.Data.Sqlite gets them again; both are cheap no-ops
/// when already set. journal_mode=WAL is persistent and is set once by <see cref="NetPortalData.Migrate"/>.
/// </remarks>
internal sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    public static readonly SqlitePragmaInterceptor Instance = new();

    internal const string Pragmas = "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
