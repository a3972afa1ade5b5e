using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

/// <summary>
/// An ad as its owner composed it: brand kit, template, texts, treatment, sizes and source blueprints. Its renders are
/// derived, so changing the kit or the texts and rendering again replaces them.
/// </summary>
public class AdCampaign
{
    public Guid Id { get; set; }

    public required string OwnerId { get; set; }

    public required string Name { get; set; }

    public Guid BrandKitId { get; set; }

    public BrandKit? BrandKit { get; set; }

    public required string TemplateId { get; set; }

    public required string Headline { get; set; }

    public string? Subline { get; set; }

    public required string CallToAction { get; set; }

    public string? Legal { get; set; }

    /// <summary>Null: the template's own treatment.</summary>
    public string? Treatment { get; set; }

    /// <summary>Comma-separated sizes such as "1080x1080,728x90", in the order they were chosen.</summary>
    public required string Sizes { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? RenderedAt { get; set; }

    public List<AdCampaignBlueprint> Blueprints { get; set; } = [];

    public List<AdRender> Renders { get; set; } = [];
}

/// <summary>A source blueprint of a campaign; each is a variant (v1, v2, ...) in the order of Position.</summary>
public class AdCampaignBlueprint
{
    public Guid CampaignId { get; set; }

    public Guid BlueprintId { get; set; }

    public Blueprint? Blueprint { get; set; }

    public int Position { get; set; }
}

/// <summary>One rendered file of a campaign: a size of a variant in one format.</summary>
public class AdRender
{
    public Guid Id { get; set; }

    public Guid CampaignId { get; set; }

    public Guid BlueprintId { get; set; }

    public int Variant { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    /// <summary>"png" or "jpeg".</summary>
    public required string Format { get; set; }

    public required string FileSha256 { get; set; }

    public long FileBytes { get; set; }

    public DateTime CreatedAt { get; set; }
}

public sealed class AdCampaignConfiguration : IEntityTypeConfiguration<AdCampaign>
{
    public void Configure(EntityTypeBuilder<AdCampaign> campaign)
    {
        campaign.Property(c => c.OwnerId).HasMaxLength(450);
        campaign.Property(c => c.Name).HasMaxLength(100);
        campaign.Property(c => c.TemplateId).HasMaxLength(32);
        campaign.Property(c => c.Headline).HasMaxLength(90);
        campaign.Property(c => c.Subline).HasMaxLength(160);
        campaign.Property(c => c.CallToAction).HasMaxLength(30);
        campaign.Property(c => c.Legal).HasMaxLength(400);
        campaign.Property(c => c.Treatment).HasMaxLength(16);
        campaign.Property(c => c.Sizes).HasMaxLength(200);
        campaign.HasIndex(c => new { c.OwnerId, c.CreatedAt });
        campaign.HasOne(c => c.BrandKit).WithMany().HasForeignKey(c => c.BrandKitId).OnDelete(DeleteBehavior.Restrict);
        campaign.HasMany(c => c.Blueprints).WithOne().HasForeignKey(b => b.CampaignId).OnDelete(DeleteBehavior.Cascade);
        campaign.HasMany(c => c.Renders).WithOne().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AdCampaignBlueprintConfiguration : IEntityTypeConfiguration<AdCampaignBlueprint>
{
    public void Configure(EntityTypeBuilder<AdCampaignBlueprint> source)
    {
        source.HasKey(s => new { s.CampaignId, s.BlueprintId });
        source.HasOne(s => s.Blueprint).WithMany().HasForeignKey(s => s.BlueprintId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AdRenderConfiguration : IEntityTypeConfiguration<AdRender>
{
    public void Configure(EntityTypeBuilder<AdRender> render)
    {
        render.Property(r => r.Format).HasMaxLength(8);
        render.Property(r => r.FileSha256).HasMaxLength(64);
        render.HasIndex(r => r.CampaignId);
    }
}
