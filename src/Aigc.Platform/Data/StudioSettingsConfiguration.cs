using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

public sealed class StudioSettingsConfiguration : IEntityTypeConfiguration<StudioSettings>
{
    public void Configure(EntityTypeBuilder<StudioSettings> settings)
    {
        settings.HasKey(s => s.UserId);
        settings.Property(s => s.UserId).HasMaxLength(450);
        settings.Property(s => s.Query).HasMaxLength(4000);
        settings.HasOne<PortalUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
