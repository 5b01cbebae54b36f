using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetPortal.Data.Entities;

namespace NetPortal.Data.Configurations;

internal sealed class IpamPoolEntityConfiguration : IEntityTypeConfiguration<IpamPoolEntity>
{
    public void Configure(EntityTypeBuilder<IpamPoolEntity> builder)
    {
        builder.ToTable("IpamPools");
        builder.HasKey(p => new { p.NetworkId, p.Ordinal });
        builder.Property(p => p.Ordinal).ValueGeneratedNever();
    }
}
