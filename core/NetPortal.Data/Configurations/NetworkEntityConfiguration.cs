using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetPortal.Data.Entities;

namespace NetPortal.Data.Configurations;

internal sealed class NetworkEntityConfiguration : IEntityTypeConfiguration<NetworkEntity>
{
    public void Configure(EntityTypeBuilder<NetworkEntity> builder)
    {
        builder.ToTable("Networks");
        builder.HasKey(n => n.Id);
        builder.HasIndex(n => n.Name).IsUnique();

        // ISO-8601 round-trip text keeps both the ticks and the offset.
        builder.Property(n => n.Created)
            .HasConversion(
                v => v.ToString("O", CultureInfo.InvariantCulture),
                s => DateTimeOffset.ParseExact(s, "O", CultureInfo.InvariantCulture, DateTimeStyles.None));

        builder.HasMany(n => n.Pools)
            .WithOne()
            .HasForeignKey(p => p.NetworkId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
