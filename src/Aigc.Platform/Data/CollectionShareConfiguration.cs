using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

public sealed class CollectionShareConfiguration : IEntityTypeConfiguration<CollectionShare>
{
    public void Configure(EntityTypeBuilder<CollectionShare> share)
    {
        share.Property(s => s.Role).HasMaxLength(64);
        share.Property(s => s.UserId).HasMaxLength(450);
        share.HasIndex(s => s.CollectionId);
        share.HasIndex(s => s.UserId);
        share.HasIndex(s => s.Role);
    }
}
