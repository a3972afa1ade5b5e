using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

/// <summary>The gallery's columns on Blueprint and the indexes its filters and keyset paging seek on.</summary>
public sealed class BlueprintCurationConfiguration : IEntityTypeConfiguration<Blueprint>
{
    public void Configure(EntityTypeBuilder<Blueprint> blueprint)
    {
        blueprint.Property(b => b.OwnerId).HasMaxLength(450);
        blueprint.Property(b => b.ModelSha256).HasMaxLength(64);
        blueprint.Property(b => b.Preset).HasMaxLength(64);
        blueprint.Property(b => b.Note).HasMaxLength(2000);
        // ConditionsJson is canonical (keys sorted, ConditionsJson.Write), so it is the condition facets' group key:
        // one index-only GROUP BY (model, conditions) yields every model and condition count at once. CreatedAt and Id
        // ride along so that date filters and the tag facet's id list stay on the index too.
        blueprint.HasIndex(b => new { b.DeletedAt, b.ModelSha256, b.ConditionsJson, b.CreatedAt, b.Id });
        blueprint.HasIndex(b => new { b.OwnerId, b.DeletedAt, b.ModelSha256, b.ConditionsJson });
        // Keyset paging seeks on the first columns of these three; the rest makes date-range facet counts index-only
        // (SQLite skip-scans the owner and model ones for a date range).
        blueprint.HasIndex(b => new { b.CreatedAt, b.Id, b.DeletedAt, b.OwnerId, b.ModelSha256, b.ConditionsJson });
        blueprint.HasIndex(b => new { b.OwnerId, b.CreatedAt, b.Id, b.DeletedAt });
        blueprint.HasIndex(b => new { b.ModelSha256, b.CreatedAt, b.Id, b.DeletedAt, b.ConditionsJson });
        // The tag facet looks up each tag's blueprint by Id: this answers "readable?" without reading the row.
        blueprint.HasIndex(b => new { b.Id, b.DeletedAt, b.OwnerId });
    }
}
