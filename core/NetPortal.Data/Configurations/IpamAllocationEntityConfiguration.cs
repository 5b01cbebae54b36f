using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetPortal.Data.Entities;

namespace NetPortal.Data.Configurations;

internal sealed class IpamAllocationEntityConfiguration : IEntityTypeConfiguration<IpamAllocationEntity>
{
    public void Configure(EntityTypeBuilder<IpamAllocationEntity> builder)
    {
        builder.ToTable("IpamAllocations");
        builder.HasKey(a => new { a.NetworkId, a.Address });
        builder.HasOne<NetworkEntity>()
            .WithMany()
            .HasForeignKey(a => a.NetworkId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
