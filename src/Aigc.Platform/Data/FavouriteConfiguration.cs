using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

public sealed class FavouriteConfiguration : IEntityTypeConfiguration<Favourite>
{
    public void Configure(EntityTypeBuilder<Favourite> favourite)
    {
        favourite.HasKey(f => new { f.UserId, f.BlueprintId });
        favourite.Property(f => f.UserId).HasMaxLength(450);
        favourite.HasIndex(f => f.BlueprintId);
        favourite.HasOne<Blueprint>().WithMany().HasForeignKey(f => f.BlueprintId).OnDelete(DeleteBehavior.Cascade);
    }
}
