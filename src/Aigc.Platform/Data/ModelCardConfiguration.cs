using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

/// <summary>The documentation columns of a model version (migration M0008); the identity columns are configured in the context.</summary>
public sealed class ModelCardConfiguration : IEntityTypeConfiguration<ModelVersion>
{
    public const int MaxDocumentLength = 256 * 1024;

    public void Configure(EntityTypeBuilder<ModelVersion> model)
    {
        model.Property(m => m.ModelCard).HasMaxLength(MaxDocumentLength);
        model.Property(m => m.License).HasMaxLength(MaxDocumentLength);
        model.Property(m => m.MetricsJson).HasMaxLength(MaxDocumentLength);
        model.Property(m => m.SamplesSha256).HasMaxLength(64);
        model.Property(m => m.PreviousActiveSha256).HasMaxLength(64);
    }
}
