using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

public sealed class SavedFilterConfiguration : IEntityTypeConfiguration<SavedFilter>
{
    public void Configure(EntityTypeBuilder<SavedFilter> filter)
    {
        filter.Property(f => f.UserId).HasMaxLength(450);
        filter.Property(f => f.Name).HasMaxLength(100);
        filter.Property(f => f.Query).HasMaxLength(2000);
        filter.HasIndex(f => new { f.UserId, f.Name }).IsUnique();
    }
}
