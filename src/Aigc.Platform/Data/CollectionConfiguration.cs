using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

public sealed class CollectionConfiguration : IEntityTypeConfiguration<Collection>
{
    public void Configure(EntityTypeBuilder<Collection> collection)
    {
        collection.Property(c => c.OwnerId).HasMaxLength(450);
        collection.Property(c => c.Name).HasMaxLength(100);
        collection.HasIndex(c => c.OwnerId);
        // A purged cover simply leaves the collection without one.
        collection.HasOne<Blueprint>().WithMany().HasForeignKey(c => c.CoverBlueprintId).OnDelete(DeleteBehavior.SetNull);
        collection.HasMany(c => c.Items).WithOne().HasForeignKey(i => i.CollectionId).OnDelete(DeleteBehavior.Cascade);
        collection.HasMany(c => c.Shares).WithOne().HasForeignKey(s => s.CollectionId).OnDelete(DeleteBehavior.Cascade);
    }
}
