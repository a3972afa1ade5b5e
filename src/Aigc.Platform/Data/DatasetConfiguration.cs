using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

public sealed class DatasetConfiguration : IEntityTypeConfiguration<Dataset>
{
    public void Configure(EntityTypeBuilder<Dataset> dataset)
    {
        dataset.Property(d => d.Name).HasMaxLength(100);
        dataset.Property(d => d.CreatedById).HasMaxLength(450);
        dataset.Property(d => d.CreatedByName).HasMaxLength(256);
        dataset.HasIndex(d => d.Name).IsUnique();
        dataset.HasMany(d => d.Versions).WithOne(v => v.Dataset).HasForeignKey(v => v.DatasetId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class DatasetVersionConfiguration : IEntityTypeConfiguration<DatasetVersion>
{
    public void Configure(EntityTypeBuilder<DatasetVersion> version)
    {
        version.Property(v => v.DataHash).HasMaxLength(71);
        version.Property(v => v.ContactSheetSha256).HasMaxLength(64);
        version.Property(v => v.SourceName).HasMaxLength(256);
        version.Property(v => v.CreatedByName).HasMaxLength(256);
        version.HasIndex(v => new { v.DatasetId, v.Number }).IsUnique();
        version.HasMany(v => v.Images).WithOne().HasForeignKey(i => i.VersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class DatasetImageConfiguration : IEntityTypeConfiguration<DatasetImage>
{
    public void Configure(EntityTypeBuilder<DatasetImage> image)
    {
        image.HasKey(i => new { i.VersionId, i.Index });
        image.Property(i => i.Sha256).HasMaxLength(64);
        image.Property(i => i.Part).HasMaxLength(64);
        image.Property(i => i.View).HasMaxLength(64);
        image.Property(i => i.Complexity).HasMaxLength(64);
        // The blob sweep and deletion ask whether any image still names a file.
        image.HasIndex(i => i.Sha256);
    }
}
