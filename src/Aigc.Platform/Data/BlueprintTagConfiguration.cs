using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

public sealed class BlueprintTagConfiguration : IEntityTypeConfiguration<BlueprintTag>
{
    public void Configure(EntityTypeBuilder<BlueprintTag> tag)
    {
        tag.HasKey(t => new { t.BlueprintId, t.Tag });
        tag.Property(t => t.Tag).HasMaxLength(64);
        tag.HasIndex(t => new { t.Tag, t.BlueprintId });
        tag.HasOne<Blueprint>().WithMany(b => b.Tags).HasForeignKey(t => t.BlueprintId).OnDelete(DeleteBehavior.Cascade);
    }
}
