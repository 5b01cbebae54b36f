using Microsoft.EntityFrameworkCore;

namespace NetPortal.Data;

internal sealed class NetPortalDbContextFactory(DbContextOptions<NetPortalDbContext> options) : IDbContextFactory<NetPortalDbContext>
{
    public NetPortalDbContext CreateDbContext() => new(options);
}
