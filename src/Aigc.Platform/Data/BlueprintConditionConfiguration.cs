using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

public sealed class BlueprintConditionConfiguration : IEntityTypeConfiguration<BlueprintCondition>
{
    public void Configure(EntityTypeBuilder<BlueprintCondition> condition)
    {
        condition.HasKey(c => new { c.BlueprintId, c.Name });
        condition.Property(c => c.Name).HasMaxLength(64);
        condition.Property(c => c.Value).HasMaxLength(256);
        // Covering index for "blueprints with part = spur_gear" and for the facet counts.
        condition.HasIndex(c => new { c.Name, c.Value, c.BlueprintId });
        condition.HasOne<Blueprint>().WithMany(b => b.Conditions).HasForeignKey(c => c.BlueprintId).OnDelete(DeleteBehavior.Cascade);
    }
}
