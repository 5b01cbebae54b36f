using Microsoft.EntityFrameworkCore;
using NetPortal.Data.Entities;

namespace NetPortal.Data;

/// <summary>EF Core model of the NetPortal SQLite database; configure it with <c>NetPortalData.UseNetPortalSqlite</c>.</summary>
public sealed class NetPortalDbContext(DbContextOptions<NetPortalDbContext> options) : DbContext(options)
{
    public DbSet<NetworkEntity> Networks => Set<NetworkEntity>();
    public DbSet<IpamPoolEntity> IpamPools => Set<IpamPoolEntity>();
    public DbSet<IpamAllocationEntity> IpamAllocations => Set<IpamAllocationEntity>();
    public DbSet<ContainerEntity> Containers => Set<ContainerEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NetPortalDbContext).Assembly);
}
