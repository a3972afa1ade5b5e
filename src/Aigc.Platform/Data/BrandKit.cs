using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

/// <summary>A team's look for ads: colours (#rrggbb), logo (a blob), an installed font family and a default call to action.</summary>
public class BrandKit
{
    public Guid Id { get; set; }

    public required string Team { get; set; }

    public required string Name { get; set; }

    public required string PrimaryColour { get; set; }

    public required string SecondaryColour { get; set; }

    public required string BackgroundColour { get; set; }

    public string? LogoSha256 { get; set; }

    public string? LogoContentType { get; set; }

    public required string FontFamily { get; set; }

    public required string DefaultCallToAction { get; set; }

    public required string UpdatedBy { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public sealed class BrandKitConfiguration : IEntityTypeConfiguration<BrandKit>
{
    public void Configure(EntityTypeBuilder<BrandKit> kit)
    {
        kit.Property(k => k.Team).HasMaxLength(100);
        kit.Property(k => k.Name).HasMaxLength(100);
        kit.Property(k => k.PrimaryColour).HasMaxLength(7);
        kit.Property(k => k.SecondaryColour).HasMaxLength(7);
        kit.Property(k => k.BackgroundColour).HasMaxLength(7);
        kit.Property(k => k.LogoSha256).HasMaxLength(64);
        kit.Property(k => k.LogoContentType).HasMaxLength(32);
        kit.Property(k => k.FontFamily).HasMaxLength(100);
        kit.Property(k => k.DefaultCallToAction).HasMaxLength(30);
        kit.Property(k => k.UpdatedBy).HasMaxLength(256);
        kit.HasIndex(k => new { k.Team, k.Name }).IsUnique();
    }
}
