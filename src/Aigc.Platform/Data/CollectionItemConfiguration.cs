using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

public sealed class CollectionItemConfiguration : IEntityTypeConfiguration<CollectionItem>
{
    public void Configure(EntityTypeBuilder<CollectionItem> item)
    {
        item.HasKey(i => new { i.CollectionId, i.BlueprintId });
        item.HasIndex(i => i.BlueprintId);
        item.HasOne<Blueprint>().WithMany().HasForeignKey(i => i.BlueprintId).OnDelete(DeleteBehavior.Cascade);
    }
}
