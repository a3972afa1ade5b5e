using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

public sealed class ThumbnailVariantConfiguration : IEntityTypeConfiguration<ThumbnailVariant>
{
    public void Configure(EntityTypeBuilder<ThumbnailVariant> variant)
    {
        variant.HasKey(v => new { v.FileSha256, v.Size });
        variant.Property(v => v.FileSha256).HasMaxLength(64);
        variant.Property(v => v.Sha256).HasMaxLength(64);
    }
}
