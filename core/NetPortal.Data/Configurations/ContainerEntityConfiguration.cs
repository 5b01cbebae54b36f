using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetPortal.Data.Entities;

namespace NetPortal.Data.Configurations;

internal sealed class ContainerEntityConfiguration : IEntityTypeConfiguration<ContainerEntity>
{
    public void Configure(EntityTypeBuilder<ContainerEntity> builder)
    {
        builder.ToTable("Containers");
        builder.HasKey(c => c.Id);
        builder.HasIndex(c => c.Name).IsUnique();

        // ISO-8601 round-trip text keeps both the ticks and the offset (as for Networks.Created).
        builder.Property(c => c.Created)
            .HasConversion(
                v => v.ToString("O", CultureInfo.InvariantCulture),
                s => DateTimeOffset.ParseExact(s, "O", CultureInfo.InvariantCulture, DateTimeStyles.None));
    }
}
